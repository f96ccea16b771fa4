"""What the benchmark scripts share: a sealed environment for git and
folio, and timing that interleaves the commands it compares."""

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FOLIO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../target/release/folio")


_copies = []


def installed(path):
    """A copy of the binary at `path`, made as `cargo install` makes one,
    in a folder removed at exit. A binary the linker has just written
    starts slower than a copy of it (0.3 ms of the hook's 3.7 ms, measured
    in 600 interleaved runs: its pages sit in the page cache in smaller
    pieces), and a short command would be timed with that on every run."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        return path
    if not _copies:
        _copies.append(tempfile.mkdtemp(prefix="folio-bench-"))
        atexit.register(shutil.rmtree, _copies[0], True)
    copy = os.path.join(_copies[0], f"{len(os.listdir(_copies[0]))}-{os.path.basename(path)}")
    shutil.copy2(path, copy)
    return copy


def parser(doc, runs):
    """The command line every benchmark has: --runs, --folio for the binary
    to time (the release build by default), and --baseline for another
    build to time beside it (the one before a change, say). Each is timed
    as a copy, as installed (see `installed`)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=runs)
    ap.add_argument("--folio", default=FOLIO, type=installed)
    ap.add_argument("--baseline", type=installed,
                    help="another folio binary, timed in the same interleaved runs, so a change is measured "
                         "against the build before it on the same data at the same moment")
    return ap


def timed(floor_cmd, folio_args, args, cwd, env, ok=(0,)):
    """Medians of the floor, of folio, and of the baseline folio (None
    without --baseline), all interleaved."""
    commands = [floor_cmd, [args.folio] + folio_args]
    if args.baseline:
        commands.append([args.baseline] + folio_args)
    medians = interleaved_medians(commands, cwd, env, args.runs, ok)
    return medians[0], medians[1], medians[2] if args.baseline else None


def sealed_env():
    """The process environment without git's variables or the user's and
    system's git config, with fixed authors and a fixed "today"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", FOLIO_TODAY="2026-11-27",
               GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    return env


def interleaved_medians(commands, cwd, env, runs, ok=(0,)):
    """Median seconds of each command, running them in turn so that drift
    in the machine's load falls on all of them alike."""
    times = [[] for _ in commands]
    for _ in range(runs):
        for i, cmd in enumerate(commands):
            start = time.perf_counter()
            done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            times[i].append(time.perf_counter() - start)
            if done.returncode not in ok:
                sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()}")
    return [statistics.median(t) for t in times]


def report(name, floor_name, value, floor, runs, target=None, baseline=None):
    print(f"{floor_name} (floor): median {floor * 1000:.1f} ms over {runs} runs")
    print(f"{name}: median {value * 1000:.1f} ms over {runs} runs")
    goal = f" (target: at most {target}x)" if target else ""
    print(f"ratio: {value / floor:.2f}x the floor{goal}")
    if baseline is not None:
        print(f"baseline: median {baseline * 1000:.1f} ms, {baseline / floor:.2f}x the floor; "
              f"this build takes {value / baseline:.2f}x the baseline's time")
