"""The lazily paged search model: Qt's model tester, then scrolling to the very end."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.bootstrap import Services, open_services
from desk_app.demo import generate_demo
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from desk_app.services.search import PAGE_SIZE
from ui.models.person_search_model import PERSON_ROW_ROLE, PersonSearchModel


@pytest.fixture(scope="module")
def demo_services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    path: Path = tmp_path_factory.mktemp("model") / "demo.sqlite3"
    services = open_services(sqlite_url(path), identity=SYSTEM)
    generate_demo(services, 120, seed=7)
    yield services  # type: ignore[misc]
    services.close()


def _model(services: Services) -> PersonSearchModel:
    return PersonSearchModel(lambda text, cursor: services.search.search(text, cursor))


def test_model_passes_qt_model_tester(qtmodeltester: object, demo_services: Services) -> None:
    model = _model(demo_services)
    model.set_query("")
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(model.index(-1, -1))
    qtmodeltester.check(model, force_py=False)  # type: ignore[attr-defined]


def test_fetch_more_reaches_every_person_once(qapp: object, demo_services: Services) -> None:
    model = _model(demo_services)
    model.set_query("")
    root = model.index(-1, -1)
    while model.canFetchMore(root):
        model.fetchMore(root)
    ids = [
        model.data(model.index(r, 0), PERSON_ROW_ROLE).person_id for r in range(model.rowCount())
    ]
    assert len(ids) == len(set(ids)) > PAGE_SIZE * 2
    total = sum(1 for _ in _all_ids(demo_services))
    assert len(ids) == total


def _all_ids(services: Services) -> list[int]:
    ids: list[int] = []
    page = services.search.search("")
    ids += [r.person_id for r in page.rows]
    while page.next_cursor is not None:
        page = services.search.search("", page.next_cursor)
        ids += [r.person_id for r in page.rows]
    return ids


def test_masked_numbers_only_in_display(qapp: object, demo_services: Services) -> None:
    model = _model(demo_services)
    model.set_query("")
    shown = model.data(model.index(0, 1))
    assert shown[6:14] == "********"


def test_new_query_resets_and_reports_mode(qtbot: object, demo_services: Services) -> None:
    model = _model(demo_services)
    with qtbot.waitSignal(model.searched) as blocker:  # type: ignore[attr-defined]
        model.set_query("zw")
    assert blocker.args == ["initials"]
    for r in range(model.rowCount()):
        assert model.data(model.index(r, 0), PERSON_ROW_ROLE).name
