#!/usr/bin/env python3
"""Times `folio check` on one hostile page per kind: a body of 4 MB that is
all brackets, link openers, citation openers, or a mistake repeated on one
line (300,000 findings before folio caps them), each against a floor that
reads the same page: `git grep -c` counting the lines with a `[`. Also
doubles the page to show the time grows linearly, and prints folio's peak
memory beside the page's size.

    cargo build --release
    python3 tests/bench/hostile.py [--mb 4] [--runs 5] [--folio target/release/folio]

The site is generated in a temporary folder and removed afterwards.
"""

import os
import subprocess
import tempfile

from common import parser, report, sealed_env, timed

PIECES = {
    "brackets": "[",
    "link openers": "[a](",
    "citation openers": "[@spec-a; ",
    "one mistake, repeated": "[l](nope.md) 10x faster ",
}


def write_site(root, piece, size, env):
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True, env=env)
    os.makedirs(f"{root}/review", exist_ok=True)
    with open(f"{root}/review/policy.yaml", "w") as f:
        # Past the default 5 MB limit too, so doubling the page is measured.
        f.write("reviewers: [ana, jon]\nmax_page_bytes: 100000000\n")
    os.makedirs(f"{root}/content", exist_ok=True)
    with open(f"{root}/content/sources.yaml", "w") as f:
        f.write("[]\n")
    body = piece * (size // len(piece))
    with open(f"{root}/content/page.md", "w") as f:
        f.write("---\ntitle: T\nsummary: S\naudience: A\nstatus: reviewed\nowner: mara\n"
                f"reviewers: [ana]\nlast_reviewed: 2026-11-20\n---\n{body}\n")


def peak_kb(cmd, cwd, env):
    """The peak resident memory of one run of `cmd`, in KB."""
    child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    return usage.ru_maxrss


def main():
    ap = parser(__doc__, runs=5)
    ap.add_argument("--mb", type=float, default=4)
    # Each timing is of one page; the floor reads the same bytes.
    args = ap.parse_args()
    env = sealed_env()
    size = int(args.mb * 1_000_000)
    for name, piece in PIECES.items():
        times = []
        for scale in (1, 2):
            with tempfile.TemporaryDirectory() as root:
                write_site(root, piece, size * scale, env)
                floor, folio, baseline = timed(
                    ["git", "grep", "--no-index", "-F", "-c", "[", "content/page.md"],
                    ["check", "--format", "json"], args, root, env, ok=(0, 1))
                times.append(folio)
                if scale == 1:
                    print(f"== {name}, {size / 1e6:.0f} MB on one line")
                    report("folio check", "git grep -c", folio, floor, args.runs, baseline=baseline)
                    kb = peak_kb([args.folio, "check", "--format", "json"], root, env)
                    print(f"peak memory: {kb / 1024:.0f} MB for a {size / 1e6:.0f} MB page")
        print(f"twice the page: {times[1] / times[0]:.2f}x the time (linear: 2x)\n")


if __name__ == "__main__":
    main()
