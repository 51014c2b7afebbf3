"""Crash-safety soak: the SIGKILL test with many more trials than the suite runs (issue #9).

    .venv/bin/python bench/crash.py [TRIALS]      # default 500

Runs tests/integration/test_crash_safety.py with CRASH_TRIALS set and prints its summary
line (kills, saves reported, all present). Speed is not the point here; survival is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    trials = sys.argv[1] if len(sys.argv) > 1 else "500"
    env = {**os.environ, "CRASH_TRIALS": trials}
    return subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:randomly", "--timeout", "0",
         "tests/integration/test_crash_safety.py"],
        cwd=ROOT, env=env,
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
