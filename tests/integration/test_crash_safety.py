"""Crash safety (issue #9): a process saving intakes in a loop is killed with SIGKILL at
random moments; every save it reported as committed must be there afterwards, the file
must pass ``PRAGMA integrity_check`` and the audit chain must verify.

The trials run in a fresh Python process started by the test (this module run as a
script): forking the test process itself would copy the threads pytest and Qt left
running, and a child forked while one of them holds a lock can hang before its first save.
That process imports once and forks a saver per trial, so 50 trials take seconds.
``CRASH_TRIALS`` raises the count (``bench/crash.py`` runs 500).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

import pytest

from desk_app.bootstrap import Services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.persistence.db import sqlite_url

TRIALS = int(os.environ.get("CRASH_TRIALS", "50"))
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL are POSIX"),
    # The SQLite file under power loss; PostgreSQL has its own WAL and fsync.
    pytest.mark.sqlite_only,
]


def _saver(url: str, household_id: int, applicant_id: int, out: int) -> None:
    """The child: save intakes forever, reporting each number once the save returned."""
    from desk_app.bootstrap import open_services
    from desk_app.services.context import SYSTEM
    from desk_app.services.intake import IntakeInput, MatterChoice

    services = open_services(url, identity=SYSTEM, upgrade=False)
    while True:
        receipt = services.intake.save(
            IntakeInput(household_id, (MatterChoice("dibao"), MatterChoice("medical_assistance")),
                        applicant_id=applicant_id)
        )  # fmt: skip
        os.write(out, f"{receipt.number}\n".encode())


def _trial(url: str, household_id: int, applicant_id: int, rng: random.Random) -> list[str]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read)
        try:
            _saver(url, household_id, applicant_id, write)
        except BaseException:
            os.write(write, ("CHILD-ERROR " + traceback.format_exc().replace("\n", " | ")).encode())
        finally:
            os._exit(0)
    os.close(write)
    # Wait for its first reported save (however slow a loaded machine starts it), so every
    # trial kills a process that is saving, then pull the plug at a random moment.
    chunks = [_first_line(read, pid)]
    threading.Event().wait(rng.uniform(0.0, 0.4))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    text = b"".join(chunks).decode()
    if "CHILD-ERROR" in text:
        raise RuntimeError(text[text.index("CHILD-ERROR") :])
    return text.split()


def _first_line(read: int, pid: int, timeout: float = 60.0) -> bytes:
    """Bytes from the pipe up to the child's first newline (its first committed save)."""
    got = b""
    ready, _, _ = select.select([read], [], [], timeout)
    while ready and b"\n" not in got:
        chunk = os.read(read, 65536)
        if not chunk:  # the child ended without saving: its error is in what was read
            break
        got += chunk
        if b"\n" not in got:
            ready, _, _ = select.select([read], [], [], timeout)
    if not got:
        os.kill(pid, signal.SIGKILL)
        raise RuntimeError(f"the saver reported nothing within {timeout:.0f} s")
    return got


def run_trials(db: Path, household_id: int, applicant_id: int, trials: int) -> dict[str, Any]:
    """Kill a saver ``trials`` times; after each kill check the file and every reported save."""
    url, rng = sqlite_url(db), random.Random(2026)
    reported: list[str] = []
    for trial in range(trials):
        reported += _trial(url, household_id, applicant_id, rng)
        conn = sqlite3.connect(db)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            stored = {r[0] for r in conn.execute("SELECT number FROM intake")}
        finally:
            conn.close()
        missing = [n for n in reported if n not in stored]
        if integrity != "ok" or missing:
            return {
                "trial": trial,
                "integrity": integrity,
                "missing": missing,
                "saves": len(reported),
            }
    return {"trial": trials, "integrity": "ok", "missing": [], "saves": len(reported)}


def test_sigkill_mid_save_loses_nothing_reported(
    services: Services, make_id: Any, db_path: Path
) -> None:
    detail = services.households.register(
        HouseholdInput(village="红星村"), PersonInput(name="王伟", id_number=make_id())
    )
    services.engine.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, __file__, str(db_path), str(detail.id), str(detail.members[0].id),
         str(TRIALS)],
        capture_output=True, text=True, env=env, timeout=60 + 10 * TRIALS, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["missing"] == [], f"reported as saved but lost: {summary}"
    assert summary["integrity"] == "ok"
    assert summary["trial"] == TRIALS
    assert summary["saves"] >= TRIALS  # the savers did get work done between kills
    check = services.audit.verify()
    assert check.first_broken is None
    assert check.rows > summary["saves"]
    print(f"{TRIALS} kills, {summary['saves']} saves reported, all present")


if __name__ == "__main__":  # the trials' own process (see the module docstring)
    db_file, household, applicant, count = sys.argv[1:5]
    print(json.dumps(run_trials(Path(db_file), int(household), int(applicant), int(count))))
