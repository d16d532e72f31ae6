"""Benchmark: the whole test suite as CI runs it (target: at most 5 minutes on 2 cores).

Clones a commit of this checkout (HEAD by default) into a private temporary folder and runs
its `.ci/run` there: a fresh virtual environment, the README's test command. Prints the
suite's own time (pytest's), the time with the installs, and a machine-speed figure taken
before and after (seconds of a fixed single-core workload), so that suite times measured
on different machines, or on one machine under other load, can be compared (or time the
commit before a change with --rev on the same machine).

Run: python benchmarks/suite_time.py [--rev REV]   (e.g. --rev 3969ba9, the suite before
issue 11; each run takes the suite's time plus about a minute of installs)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PYTEST_TIME = re.compile(r" in ([0-9.]+)s")


def machine_speed() -> float:
    """Seconds of a fixed single-core workload (interpreted loops and small NumPy calls,
    as the grader's round trips are): lower is faster."""
    rng = np.random.default_rng(0)
    matrices = [rng.standard_normal((32, 32)) for _ in range(64)]
    began = time.process_time()
    total = 0.0
    for step in range(5_000_000):
        total += step % 7
    for _ in range(2_000):
        for matrix in matrices:
            total += float((matrix @ matrix).sum())
    return time.process_time() - began


def run_suite(rev: str) -> None:
    with tempfile.TemporaryDirectory(prefix="suite-time-") as scratch:
        clone = Path(scratch) / "checkout"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "checkout", "-q", rev], check=True)
        if not (clone / ".ci" / "run").is_file():
            raise SystemExit(f"error: {rev} has no .ci/run to time")
        env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
        began = time.perf_counter()
        done = subprocess.run(
            ["bash", ".ci/run"], cwd=clone, env=env, capture_output=True, text=True
        )
        wall = time.perf_counter() - began
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:]
    print(f"{rev}: {summary}")
    found = PYTEST_TIME.search(summary)
    if found:
        print(f"  suite (pytest's time): {float(found.group(1)):.1f} s")
    print(f"  with the fresh venv and installs: {wall:.1f} s (exit {done.returncode})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rev", default="HEAD", help="the commit to time (default: HEAD)")
    options = parser.parse_args()
    print(f"machine speed before: {machine_speed():.2f} s, {os.cpu_count()} cores")
    run_suite(options.rev)
    print(f"machine speed after: {machine_speed():.2f} s")


if __name__ == "__main__":
    main()
