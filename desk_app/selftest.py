"""``desk-app self-test``: prove on this machine that the core works end to end.

Runs headless in a temporary folder (never the clerk's data): migrations, registering a
household and finding its members again by name, initials and ID suffix, and an intake
whose matters are routed (one at the window, one referred with a working-day deadline),
the acceptance receipt as PDF and a ledger as XLSX (drawn by ``reports``, which the caller
passes in: the core never imports it), the audit chain, a verified backup restored into a
second file whose audit chain is checked again, the data files shipped inside the package
(parameter sets, password list) and a diagnostic bundle.

The installed program also runs a window check (``gui_check``, from ``ui.selftest_gui``:
the core cannot import Qt): the main window built offscreen on the self-test database,
with the bundled font drawing Chinese on a machine that has no fonts of its own.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.bootstrap import open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.intake import Handling
from desk_app.domain.registry import Relation
from desk_app.persistence import migrate
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from desk_app.services.intake import IntakeInput, MatterChoice

Step = Callable[[], str]
PdfBuilder = Callable[[Any], bytes]
"""``reports.documents.build_document``."""
XlsxSinkFactory = Callable[[Path], Any]
"""``reports.ledgers.XlsxSink``."""
GuiCheck = Callable[[str, Path], str]
"""``ui.selftest_gui.check_window(db_url, workdir)``: one line saying what it proved."""


class SelfTestError(RuntimeError):
    """A self-test step did not give the expected result."""


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise SelfTestError(what)


def run_self_test(
    echo: Callable[[str], None] = print,
    *,
    build_pdf: PdfBuilder | None = None,
    xlsx_sink: XlsxSinkFactory | None = None,
    gui_check: GuiCheck | None = None,
) -> None:
    """Run every step, echoing one line per step; raise :class:`SelfTestError` on failure."""
    with tempfile.TemporaryDirectory(prefix="desk-app-selftest-") as tmp:
        db = Path(tmp) / "selftest.sqlite3"
        started = time.perf_counter()
        services = open_services(
            sqlite_url(db), clock=lambda: dt.datetime(2026, 1, 5, 9, 30), identity=SYSTEM
        )
        try:
            _expect(
                not migrate.needs_upgrade(services.engine), "schema not at head after migration"
            )
            echo(f"migrations: ok ({migrate.current_revision(services.engine)})")
            with services.engine.connect() as conn:
                mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
                sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
                fks = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            _expect((mode, sync, fks) == ("wal", 2, 1), f"pragmas {mode}/{sync}/{fks}")
            echo("sqlite: wal, synchronous=FULL, foreign_keys=ON")

            services.context.operator.name = "self-test"
            services.site.save("自检镇", "520402102000", "社会救助综合服务窗口")
            head_id = "52040219800101123"
            head_id += check_character(head_id)
            spouse_id = "52040219820202124"
            spouse_id += check_character(spouse_id)
            detail = services.households.register(
                HouseholdInput(village="自检村", group_name="一组"),
                PersonInput(name="张堃", id_number=head_id),
            )
            detail = services.households.add_member(
                detail.id, PersonInput(name="李秀英", id_number=spouse_id), Relation.SPOUSE
            )
            _expect(len(detail.members) == 2, "household should have two members")
            echo(f"register: ok (household {detail.number}, 2 members)")

            for query, expected in (
                ("秀英", "李秀英"),
                ("张", "张堃"),
                ("zk", "张堃"),
                (head_id[-4:], "张堃"),
            ):
                page = services.search.search(query)
                _expect(any(r.name == expected for r in page.rows), f"search {page.mode} failed")
            echo("search: ok (2-character name, 1-character name, pinyin initials, ID suffix)")

            receipt = services.intake.save(
                IntakeInput(
                    detail.id,
                    (MatterChoice("dibao"), MatterChoice("medical_assistance")),
                    applicant_id=detail.head.id if detail.head else None,
                )
            )
            routes = {m.matter_code: m for m in receipt.matters}
            _expect(
                routes["dibao"].handling is Handling.WINDOW, "低保 should be handled at the window"
            )
            medical = routes["medical_assistance"]
            _expect(
                medical.handling is Handling.REFERRAL and bool(medical.referral_number),
                "医疗救助 should be referred",
            )
            _expect(
                medical.due_date is not None and bool(medical.papers_missing),
                "referral needs a deadline and a paper list",
            )
            queue = services.referrals.counts()
            _expect(sum(q.open for q in queue) == 1, "one open referral expected in the queues")
            echo(
                f"intake: ok ({receipt.number}, 1 matter at the window, 1 referral due {medical.due_date})"
            )
            if build_pdf is not None:
                pdf = build_pdf(services.documents.receipt(receipt.intake_id))
                _expect(pdf.startswith(b"%PDF") and len(pdf) > 10_000, "receipt PDF")
                echo(f"receipt PDF: ok ({len(pdf) // 1024} KB, bundled fonts embedded)")
            if xlsx_sink is not None:
                from desk_app.domain.ledgers import LedgerKind  # noqa: PLC0415
                from desk_app.services.ledgers import LedgerRequest  # noqa: PLC0415

                out = Path(tmp) / "ledger.xlsx"
                summary = services.ledgers.export(
                    LedgerRequest(LedgerKind.HOUSEHOLDS), xlsx_sink(out)
                )
                _expect(out.exists() and out.read_bytes()[:2] == b"PK", "ledger XLSX")
                echo(f"ledger XLSX: ok ({summary.rows} rows)")
            check = services.audit.verify()
            _expect(check.first_broken is None and check.rows > 0, "audit chain")
            echo(f"audit chain: ok ({check.rows} rows)")
        finally:
            services.close()
        from desk_app.backup import backup, restore  # noqa: PLC0415

        saved = backup(db, Path(tmp) / "selftest.bak", passphrase="self-test")
        restored_db = Path(tmp) / "restored.sqlite3"
        restored, _kept = restore(saved.path, restored_db, "self-test")
        _expect(restored.rows.get("household") == 1, "restored backup should hold the household")
        copy = open_services(sqlite_url(restored_db), identity=SYSTEM)
        try:
            again = copy.audit.verify()
        finally:
            copy.close()
        _expect(again.first_broken is None and again.rows == check.rows, "restored audit chain")
        echo(f"backup and restore: ok (encrypted, verified, audit chain {again.rows} rows)")
        echo(_bundled_data())
        echo(_diagnostics(Path(tmp), db))
        if gui_check is not None:
            echo(gui_check(sqlite_url(db), Path(tmp)))
        echo(f"elapsed: {time.perf_counter() - started:.2f} s")


def _bundled_data() -> str:
    """The data files read from inside the package (a frozen build must carry them)."""
    from desk_app.domain.assistance.locality import load_localities  # noqa: PLC0415
    from desk_app.domain.security import common_passwords  # noqa: PLC0415

    localities = load_localities()
    passwords = common_passwords()
    _expect(bool(localities) and len(passwords) > 100, "bundled parameter sets and password list")
    return f"bundled data: ok ({len(localities)} parameter sets, {len(passwords)} common passwords)"


def _diagnostics(tmp: Path, db: Path) -> str:
    """A support bundle for the self-test database: version facts, no personal data."""
    import json  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    from desk_app.config import AppConfig  # noqa: PLC0415
    from desk_app.diagnostics import make_bundle  # noqa: PLC0415

    config = AppConfig(
        data_dir=tmp, log_dir=tmp / "logs", config_dir=tmp / "config", db_url=sqlite_url(db)
    )
    out = make_bundle(config, tmp / "diagnose.zip")
    with zipfile.ZipFile(out) as bundle:
        about = json.loads(bundle.read("about.json"))
    _expect(about["database"].get("revision") == migrate.HEAD_REVISION, "diagnostic bundle")
    frozen = "installed build" if about["frozen"] else "source"
    return f"diagnostic bundle: ok ({frozen}, schema {about['database']['revision']})"
