"""Generated documentation stays in step with the data it describes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_catalogue_doc_matches_the_seed() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalogue_doc.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
