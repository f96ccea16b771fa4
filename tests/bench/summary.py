#!/usr/bin/env python3
"""Times `folio summary` on a pull request of 1,000 files in a generated
10,000-page site, against `git diff --stat BASE...HEAD` on the same range
(the floor: git listing what the range changed), as a ratio of medians
(target: at most 3). Also reports the peak memory of one summary of the
whole range and of a tenth of it: memory should follow the largest page,
not the size of the range.

    cargo build --release
    python3 tests/bench/summary.py [--pages 10000] [--files 1000] [--runs 11] [--folio target/release/folio] [--baseline OLD]

The pull request is what a bulk edit looks like: three commits rewording a
sentence on 900 pages (the published ones among them without the records
their edits need, so the review has findings to report), then 50 pages
moved to their next state with their transition records. The site is generated in a temporary folder and
removed afterwards.
"""

import os
import subprocess
import tempfile
import time

from check import build_site
from common import interleaved_medians, parser, report, sealed_env


def git(root, env, *args):
    subprocess.run(["git", *args], cwd=root, check=True, env=env, stdout=subprocess.DEVNULL)


def pull_request(root, env, pages, files):
    """A branch `pr` off `main` that touches `files` files in four commits."""
    git(root, env, "checkout", "-q", "-b", "pr")
    folders = max(1, pages // 100)
    path = lambda p: f"{root}/content/section-{p % folders}/page-{p}.md"
    edits = files * 9 // 10
    moves = (files - edits) // 2
    step = max(1, pages // edits)
    chosen = list(range(0, pages, step))[:edits]
    for part in range(3):
        for p in chosen[part * edits // 3:(part + 1) * edits // 3]:
            with open(path(p)) as f:
                text = f.read()
            text = text.replace("Runtimes differ in how they schedule work",
                                "Runtimes differ in how and when they schedule work", 1)
            with open(path(p), "w") as f:
                f.write(text)
        git(root, env, "commit", "-qam", f"reword, part {part + 1}")
    # Draft and research pages move one state on; each move with its record.
    edited = set(chosen)
    moved = 0
    for p in range(pages):
        state = ["draft", "research", "reviewed", "promoted"][p % 4]
        if p in edited or state not in ("draft", "research"):
            continue
        if moved == moves:
            break
        nxt = {"draft": "research", "research": "reviewed"}[state]
        with open(path(p)) as f:
            text = f.read()
        with open(path(p), "w") as f:
            f.write(text.replace(f"status: {state}", f"status: {nxt}", 1))
        folder = f"section-{p % folders}/page-{p}"
        record = f"{root}/review/records/{folder}/2026-11-27-maintenance-{p:08x}.yaml"
        os.makedirs(os.path.dirname(record), exist_ok=True)
        with open(record, "w") as f:
            f.write(f'kind: "maintenance"\npage: "{folder}"\ndate: "2026-11-27"\nby: "bench"\n'
                    f'change: "transition"\nfrom: "{state}"\nto: "{nxt}"\nbody_sha256: ""\n')
        moved += 1
    git(root, env, "add", "-A")
    git(root, env, "commit", "-q", "-m", "move pages on")


def peak_memory_mb(cmd, cwd, env):
    """The peak resident memory of one run of `cmd`, in MB, measured from a
    fresh process so that nothing run before counts."""
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run(["python3", "-c", probe, *cmd], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return int(out.stdout) / 1024


def main():
    ap = parser(__doc__, runs=11)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--files", type=int, default=1000)
    args = ap.parse_args()
    env = sealed_env()
    with tempfile.TemporaryDirectory() as root:
        start = time.perf_counter()
        build_site(root, args.pages, env)
        pull_request(root, env, args.pages, args.files)
        stat = subprocess.run(["git", "diff", "--shortstat", "main...pr"], cwd=root, env=env,
                              capture_output=True, text=True, check=True).stdout.strip()
        print(f"built a {args.pages}-page site and a pull request in {time.perf_counter() - start:.1f} s: {stat}")
        # The Markdown (what the comment shows) and the JSON (the data
        # alone), in the same interleaved runs.
        commands = [["git", "diff", "--stat", "main...pr"], [args.folio, "summary", "main...pr"],
                    [args.folio, "summary", "main...pr", "--format", "json"]]
        if args.baseline:
            commands.append([args.baseline, "summary", "main...pr"])
        floor, markdown, json_only, *baseline = interleaved_medians(commands, root, env, args.runs)
        report("folio summary", "git diff --stat", markdown, floor, args.runs, target=3,
               baseline=baseline[0] if baseline else None)
        print(f"folio summary --format json: median {json_only * 1000:.1f} ms, {json_only / floor:.2f}x the floor")
        # Peak memory: the whole range, and its last commit alone (a tenth
        # of it).
        whole = peak_memory_mb([args.folio, "summary", "main...pr", "--format", "json"], root, env)
        part = peak_memory_mb([args.folio, "summary", "pr~1..pr", "--format", "json"], root, env)
        print(f"peak memory: {whole:.0f} MB for the whole range, {part:.0f} MB for its last commit")


if __name__ == "__main__":
    main()
