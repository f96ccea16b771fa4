#!/usr/bin/env python3
"""Times `folio history` on one page of a 10,000-commit repository against
`git log --follow -- <path>` on the same repository (the floor), as a ratio
of medians (target: at most 1).

    cargo build --release
    python3 tests/bench/history.py [--commits 10000] [--runs 11] [--folio target/release/folio] [--baseline OLD]

The repository (200 pages in 10 folders by default; each commit edits one;
the measured page moves a state every 500 commits and is renamed halfway)
is written with `git fast-import` in a temporary folder and removed
afterwards. `--pages 1250 --folders 1` puts many pages in one folder.
"""

import subprocess
import tempfile
import time

from common import parser, report, sealed_env, timed

STATES = ["draft", "research", "reviewed", "promoted"]


def page(n, state, edit):
    body = "".join(f"Line {i} of page {n}, which stays the same across edits.\n" for i in range(20))
    return (f"---\ntitle: \"Page {n}\"\nstatus: {state}\n---\n{body}Edit {edit}.\n").encode()


def build(root, commits, env, pages=200, folders=10):
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True, env=env)
    out = []
    target_path = "content/section-0/target.md"
    target_state = 0
    for c in range(commits):
        out.append(b"commit refs/heads/main\n")
        out.append(b"committer bench <bench@example.invalid> %d +0000\n" % (1700000000 + c * 60))
        out.append(b"data 8\ncommit %d\n" % (c % 10))
        if c == 0:
            for n in range(pages):
                data = page(n, "draft", 0)
                out.append(b"M 100644 inline content/section-%d/page-%d.md\ndata %d\n%s\n" % (n % folders, n, len(data), data))
            data = page(-1, STATES[0], 0)
            out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (target_path.encode(), len(data), data))
            continue
        if c == commits // 2:
            new_path = "content/section-1/renamed.md"
            out.append(b"R %s %s\n" % (target_path.encode(), new_path.encode()))
            target_path = new_path
        elif c % 500 == 0:
            target_state = (target_state + 1) % 4
            data = page(-1, STATES[target_state], c)
            out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (target_path.encode(), len(data), data))
        else:
            n = c % pages
            data = page(n, "draft", c)
            out.append(b"M 100644 inline content/section-%d/page-%d.md\ndata %d\n%s\n" % (n % folders, n, len(data), data))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(out), check=True, env=env)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True, env=env)
    return target_path


def main():
    ap = parser(__doc__, runs=11)
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--folders", type=int, default=10)
    ap.add_argument("--commit-graph", action="store_true",
                    help="first write a commit-graph with changed-path Bloom filters, as `git maintenance` can")
    args = ap.parse_args()
    env = sealed_env()
    with tempfile.TemporaryDirectory() as root:
        start = time.perf_counter()
        path = build(root, args.commits, env, args.pages, args.folders)
        if args.commit_graph:
            subprocess.run(["git", "commit-graph", "write", "--reachable", "--changed-paths"], cwd=root, check=True, env=env)
        print(f"built a {args.commits}-commit repository in {time.perf_counter() - start:.1f} s"
              + (" (with a changed-path commit-graph)" if args.commit_graph else ""))
        shown = subprocess.run([args.folio, "history", path], cwd=root, env=env, capture_output=True, text=True)
        print(shown.stdout, end="")
        floor, history, baseline = timed(
            ["git", "log", "--follow", "--format=%H", "--", path], ["history", path], args, root, env)
        report("folio history", "git log --follow", history, floor, args.runs, target=1, baseline=baseline)


if __name__ == "__main__":
    main()
