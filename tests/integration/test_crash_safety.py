"""Crash safety (issue #9): a process saving intakes in a loop is killed with SIGKILL at
random moments; every save it reported as committed must be there afterwards, the file
must pass ``PRAGMA integrity_check`` and the audit chain must verify.

Children are forked from the test process (the imports are done once), so 50 trials take
seconds. ``CRASH_TRIALS`` raises the count (``bench/crash.py`` runs 500).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from desk_app.services.intake import IntakeInput, MatterChoice

TRIALS = int(os.environ.get("CRASH_TRIALS", "50"))

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL are POSIX")


def _saver(url: str, household_id: int, applicant_id: int, out: int) -> None:
    """The child: save intakes forever, reporting each number once the save returned."""
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
        finally:
            os._exit(0)
    os.close(write)
    threading.Event().wait(rng.uniform(0.05, 0.6))  # let it save a few, then pull the plug
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    return b"".join(chunks).decode().split()


def test_sigkill_mid_save_loses_nothing_reported(
    services: Services, make_id: Any, db_path: Path
) -> None:
    detail = services.households.register(
        HouseholdInput(village="红星村"), PersonInput(name="王伟", id_number=make_id())
    )
    url = sqlite_url(db_path)
    services.engine.dispose()  # no connection crosses the fork
    rng = random.Random(2026)
    reported: list[str] = []
    for _ in range(TRIALS):
        reported += _trial(url, detail.id, detail.members[0].id, rng)
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = {r[0] for r in conn.execute("SELECT number FROM intake")}
        finally:
            conn.close()
        missing = [n for n in reported if n not in stored]
        assert missing == [], f"reported as saved but lost: {missing}"
    assert len(reported) >= TRIALS  # the children did get work done between kills
    check = services.audit.verify()
    assert check.first_broken is None
    assert check.rows > len(reported)
    print(
        f"{TRIALS} kills, {len(reported)} saves reported, all present; {dt.datetime.now():%H:%M:%S}"
    )
