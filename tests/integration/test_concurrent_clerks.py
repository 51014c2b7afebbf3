"""Several windows saving to one database at the same moment (issue #9).

Each clerk is a separate ``Services`` with its own engine and connections, as on separate
hall PCs; threads released together by a barrier make the saves collide. Runs on SQLite
(one PC, several windows) and on PostgreSQL (a shared server), where the write lock of
``desk_app.persistence.db`` keeps running numbers and the audit chain in one line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.errors import ConcurrentEditError
from desk_app.services.context import SYSTEM
from desk_app.services.dto import HouseholdDetail

CLERKS = 4


@pytest.fixture
def clerks(db_url: str, clock: Any) -> Iterator[list[Services]]:
    opened = [open_services(db_url, clock=clock, identity=SYSTEM) for _ in range(CLERKS)]
    try:
        yield opened
    finally:
        for svc in opened:
            svc.close()


def _together(work: list[Callable[[], object]]) -> list[object]:
    """Run every callable in its own thread, released at the same instant; results or
    the exception each one raised, in order."""
    barrier = threading.Barrier(len(work))

    def run(fn: Callable[[], object]) -> object:
        barrier.wait()
        try:
            return fn()
        except Exception as exc:  # the test inspects what each clerk got
            return exc

    with ThreadPoolExecutor(len(work)) as pool:
        return list(pool.map(run, work))


def test_four_clerks_saving_one_household_lose_no_update(
    clerks: list[Services], register: Callable[..., HouseholdDetail]
) -> None:
    shown = register(name="赵文", village="龙宫村")  # every clerk has this version on screen
    for round_ in range(5):  # several rounds: the winner differs, the rule does not
        shown = clerks[0].households.get(shown.id)
        # Every edit differs from what is stored (an unchanged save writes nothing).
        edits = [
            HouseholdInput(village="龙宫村", address=f"{round_}-{n + 1}号") for n in range(CLERKS)
        ]
        results = _together(
            [
                lambda c=c, e=e, v=shown: c.households.update_household(v.id, v.version, e)
                for c, e in zip(clerks, edits, strict=True)
            ]
        )
        saved = [r for r in results if isinstance(r, HouseholdDetail)]
        refused = [r for r in results if isinstance(r, ConcurrentEditError)]
        assert len(saved) == 1, results
        assert len(refused) == CLERKS - 1, results
        # The refusal is the sentence the clerk reads, with the way out.
        assert all("已被其他窗口修改" in r.message.source for r in refused)
        assert all("重新载入" in r.message.source for r in refused)
        # What is stored is exactly the one save that went through, and a reload shows it.
        stored = clerks[1].households.get(shown.id)
        assert (stored.address, stored.version) == (saved[0].address, saved[0].version)
        assert stored.version > shown.version
    assert clerks[2].audit.verify().first_broken is None


def test_four_clerks_registering_at_once_get_distinct_numbers_and_one_audit_chain(
    clerks: list[Services], make_id: Callable[..., str]
) -> None:
    per_clerk = 5
    ids = [[make_id() for _ in range(per_clerk)] for _ in range(CLERKS)]

    def clerk_work(svc: Services, numbers: list[str]) -> list[str]:
        return [
            svc.households.register(
                HouseholdInput(village="红星村"), PersonInput(name="钱多", id_number=n)
            ).number
            for n in numbers
        ]

    results = _together(
        [lambda c=c, n=n: clerk_work(c, n) for c, n in zip(clerks, ids, strict=True)]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = [number for r in results for number in r]  # type: ignore[union-attr]
    assert len(numbers) == len(set(numbers)) == CLERKS * per_clerk
    verification = clerks[0].audit.verify()
    assert verification.first_broken is None
    assert verification.rows >= CLERKS * per_clerk
