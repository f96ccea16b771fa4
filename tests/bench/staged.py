#!/usr/bin/env python3
"""Times the pre-commit hook's work, `folio check --staged`, with one page
staged in a 10,000-page repository, against `git diff --cached --name-only`
on the same repository (the floor: git listing what is staged).

    cargo build --release
    python3 tests/bench/staged.py [--pages 10000] [--folder-size 100] [--state reviewed] [--runs 51] [--folio target/release/folio] [--baseline OLD]

The repository is written with `git fast-import` in a temporary folder and
removed afterwards. Prints both medians and their ratio (target: at most 1.5).
"""

import hashlib
import os
import subprocess
import tempfile
import time

from common import interleaved_medians, parser, report, sealed_env

PAGE = """---
title: "Page {p}"
summary: A generated page.
audience: Bench readers
status: {state}
owner: mara
reviewers: [ana]
last_reviewed: 2026-11-20
---
# Page {p}

Runtimes differ in how they schedule work [@src-{a}]. A compiler schedules
operations and a server schedules requests [@src-{b}]. See
[the next page](page-{n}.md).
"""


def blob(data):
    raw = data.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def build_repo(root, pages, env, folder_size=100):
    """One commit holding `pages` pages in folders of `folder_size`, via fast-import."""
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True, env=env)
    stream = [b"commit refs/heads/main\n", b"committer bench <bench@example.invalid> 1795000000 +0000\n",
              b"data 4\nsite\n"]
    files = {"review/policy.yaml": "reviewers: [ana, jon]\n",
             "content/sources.yaml": "".join(
                 f"- id: src-{i}\n  title: Source {i}\n  url: https://example.org/{i}\n"
                 f"  kind: specification\n  accessed: 2026-11-01\n" for i in range(50))}
    for p in range(pages):
        state = ["draft", "research", "reviewed", "promoted"][p % 4]
        files[f"content/section-{p // folder_size}/page-{p}.md"] = PAGE.format(
            p=p, state=state, a=p % 50, b=(p * 7) % 50, n=p - p % folder_size + (p + 1) % folder_size)
    for path, text in files.items():
        stream.append(b"M 100644 inline %s\n" % path.encode())
        stream.append(blob(text))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True, env=env)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True, env=env)


def main():
    ap = parser(__doc__, runs=51)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--folder-size", type=int, default=100,
                    help="pages per folder (--folder-size 10000 puts every page in one folder)")
    ap.add_argument("--state", default="draft", choices=["draft", "research", "reviewed", "promoted"],
                    help="the state of the staged page (reviewed and promoted pages run the lint rules)")
    args = ap.parse_args()
    env = sealed_env()
    with tempfile.TemporaryDirectory() as root:
        start = time.perf_counter()
        build_repo(root, args.pages, env, args.folder_size)
        print(f"built a {args.pages}-page repository in {time.perf_counter() - start:.1f} s; staging an edit of a {args.state} page")
        # Pages cycle through the states: page-0 is a draft, page-2 reviewed.
        number = ["draft", "research", "reviewed", "promoted"].index(args.state)
        page = f"{root}/content/section-0/page-{number}.md"
        with open(page) as f:
            text = f.read()
        text += "\nAn edit, staged for the hook.\n"
        with open(page, "w") as f:
            f.write(text)
        subprocess.run(["git", "add", page], cwd=root, check=True, env=env)
        if number >= 2:
            # An edit of a reviewed or promoted page comes with its record.
            body = text.split("\n---\n", 1)[1]
            record = f"{root}/review/records/section-0/page-{number}/2026-11-27-maintenance-0bench00.yaml"
            os.makedirs(os.path.dirname(record))
            with open(record, "w") as f:
                f.write(f'kind: "maintenance"\npage: "section-0/page-{number}"\ndate: "2026-11-27"\nby: "bench"\n'
                        f'change: "editorial"\nsummary: "An edit"\n'
                        f'body_sha256: "{hashlib.sha256(body.encode()).hexdigest()}"\n')
            subprocess.run(["git", "add", record], cwd=root, check=True, env=env)
        commands = [["git", "diff", "--cached", "--name-only"], [args.folio, "check", "--staged"], ["true"]]
        if args.baseline:
            commands.append([args.baseline, "check", "--staged"])
        floor, staged, spawn, *baseline = interleaved_medians(commands, root, env, args.runs)
        report("folio check --staged", "git diff --cached --name-only", staged, floor, args.runs, target=1.5,
               baseline=baseline[0] if baseline else None)
        # Starting any process costs this harness `spawn`; without it the
        # ratio is stricter.
        print(f"without the cost of starting a process ({spawn * 1000:.2f} ms, `true`): "
              f"{(staged - spawn) / (floor - spawn):.2f}x")


if __name__ == "__main__":
    main()
