#!/usr/bin/env python3
"""Times `folio check` over a generated site against a floor that reads the
same files: `git grep` counting citations in every page.

    cargo build --release
    python3 tests/bench/check.py [--pages 10000] [--runs 11] [--folio target/release/folio]

Prints the median of each command and their ratio. The site is generated in
a temporary folder and removed afterwards; nothing here touches the network.
"""

import os
import subprocess
import tempfile
import time

from common import parser, report, sealed_env, timed

BODY = """
## Section {n}

Runtimes differ in how they schedule work [@src-{a}]. A compiler schedules
operations, an engine schedules sequence steps, and a server schedules
requests [@src-{b}; @src-{c}]. See [the neighbour](../{folder}/page-{m}.md)
for the same question asked of another layer.

- Which component owns placement?
- Which one keeps durable state?

```text
code is masked: 10x faster, production-ready
```
"""


def build_site(root, pages, env):
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True, env=env)
    os.makedirs(f"{root}/review")
    with open(f"{root}/review/policy.yaml", "w") as f:
        f.write("reviewers: [ana, jon]\n")
    os.makedirs(f"{root}/content")
    with open(f"{root}/content/sources.yaml", "w") as f:
        for i in range(50):
            f.write(f"- id: src-{i}\n  title: Source {i}\n  url: https://example.org/{i}\n"
                    f"  kind: specification\n  accessed: 2026-11-01\n")
    folders = max(1, pages // 100)
    for p in range(pages):
        folder = f"section-{p % folders}"
        os.makedirs(f"{root}/content/{folder}", exist_ok=True)
        state = ["draft", "research", "reviewed", "promoted"][p % 4]
        sections = "".join(
            BODY.format(n=n, a=(p + n) % 50, b=(p + 2 * n) % 50, c=(p + 3 * n) % 50,
                        folder=folder, m=p)
            for n in range(4))
        with open(f"{root}/content/{folder}/page-{p}.md", "w") as f:
            f.write(f"---\ntitle: \"Page {p}\"\nsummary: A generated page.\naudience: Bench readers\n"
                    f"status: {state}\nowner: mara\nreviewers: [ana]\nlast_reviewed: 2026-11-20\n---\n"
                    f"# Page {p}\n{sections}")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "site"], cwd=root, check=True, env=env)


def main():
    ap = parser(__doc__, runs=11)
    ap.add_argument("--pages", type=int, default=10000)
    args = ap.parse_args()
    env = sealed_env()
    with tempfile.TemporaryDirectory() as root:
        start = time.perf_counter()
        build_site(root, args.pages, env)
        print(f"built a {args.pages}-page site in {time.perf_counter() - start:.1f} s")
        floor, check, baseline = timed(
            ["git", "grep", "-c", "@src-", "--", "content"], ["check", "--format", "json"], args, root, env,
            ok=(0, 1))
        report("folio check", "git grep -c", check, floor, args.runs, baseline=baseline)


if __name__ == "__main__":
    main()
