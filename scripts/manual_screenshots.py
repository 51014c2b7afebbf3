"""Take every picture the manual (docs/manual/*.md) shows, from the real program.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/manual_screenshots.py --out DIR
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/manual_screenshots.py --update

The window runs on a new fictional demo database and is driven through the same steps as
``scripts/screenshots.py`` (its shots and those of ``screenshot_documents``,
``screenshot_ledgers`` and ``screenshot_users`` are imported, not copied), plus a few
steps of its own. Only the pictures some manual page shows are grabbed.

``--out DIR`` (what CI runs) writes the pictures into DIR and checks; it changes nothing
in the repository. ``--update`` also writes them, palette-compressed, into
``docs/manual/img/`` and deletes pictures there that no page shows; run it after a change
to the window or the manual, look at the pictures and commit them.

Exit 1 with one line per problem when a page shows a picture this script has no recipe
for, a picture cannot be taken (its step raised, or the window showed another page or
dialog), a picture is blank or nearly one colour, a page shows a file missing from
``docs/manual/img`` or that folder holds a picture no page shows (both without
``--update``). Exit 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def _hall_screen() -> None:
    """Run offscreen on a 1366x768 screen (the hall PCs' usual size) instead of Qt's
    800x800, so popup menus open where they would on the clerk's screen. Pictures are
    grabbed from the widgets, without window frames, so they do not depend on a desktop.
    ``QT_QPA_PLATFORM=xcb`` (say, under Xvfb) keeps that display and its size."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    config = Path(tempfile.mkdtemp(prefix="desk-manual-qpa-")) / "screen.json"
    screen = {"name": "hall", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


_hall_screen()

from manual_links import MANUAL, links, manual_pages  # noqa: E402
from PIL import Image  # noqa: E402  (a reportlab dependency, always installed)
from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect  # noqa: E402
from PySide6.QtGui import QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget  # noqa: E402
from screenshots import (  # noqa: E402
    Shot,
    _close_dialogs,
    _opened,
    _settle,
    close_demo,
    main_shots,
    open_demo,
)

import desk_app.services.users  # noqa: E402
from desk_app.bootstrap import Services  # noqa: E402
from desk_app.domain.intake import ReferralAction  # noqa: E402
from desk_app.domain.security import hash_password  # noqa: E402
from ui.auto_backup import AutoBackup  # noqa: E402
from ui.dialogs import open_dialog  # noqa: E402
from ui.dialogs.agreement_dialog import CareAgreementDialog, SupportAgreementDialog  # noqa: E402
from ui.dialogs.archived_documents_dialog import ArchivedDocumentsDialog  # noqa: E402
from ui.dialogs.document_preview import DocumentPreviewDialog, MissingGlyphsDialog  # noqa: E402
from ui.dialogs.first_start_dialog import FirstStartDialog  # noqa: E402
from ui.dialogs.household_dialog import HouseholdDialog  # noqa: E402
from ui.dialogs.notice_dialogs import (  # noqa: E402
    NoticeDraftDialog,
    NoticePostDialog,
    ObjectionDialog,
    ResolveObjectionDialog,
)
from ui.dialogs.referral_action_dialog import ReferralActionDialog  # noqa: E402
from ui.dialogs.reminders_dialog import RemindersDialog  # noqa: E402
from ui.dialogs.sign_in import ChangePasswordDialog, FirstAdminDialog, SignInDialog  # noqa: E402
from ui.dialogs.user_dialogs import NewUserDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.widgets.idle_lock import LockScreen  # noqa: E402

IMG = MANUAL / "img"

Region = Callable[[QWidget], QRect]
"""The part of the grabbed widget to keep, in its own coordinates."""

BLANK_SHARE = 0.985
"""A picture whose most common colour covers more than this share of it is blank."""


@dataclass(frozen=True, slots=True)
class Picture:
    """How to take one picture of the manual.

    Args:
        step: the step (shot name) after which the picture is grabbed.
        shows: what must be on screen: a page of the main window (attribute name such
            as ``"queue_page"``) or the class of the dialog grabbed.
        region: keep only this part (a crop); the whole widget when None.
        popups: paint open popup menus over the grab (offscreen grabs leave them out).
    """

    step: str
    shows: str | type[QWidget]
    region: Region | None = None
    popups: bool = False


def _top(height: int) -> Region:
    return lambda widget: QRect(0, 0, widget.width(), height)


def _lock_panel(widget: QWidget) -> QRect:
    panel = widget.findChild(QWidget, "lockPanel")
    if panel is None:
        raise RuntimeError("the lock screen has no lockPanel")
    top_left = panel.mapTo(widget, QPoint(0, 0))
    return QRect(top_left, panel.size()).adjusted(-60, -40, 60, 40)


def _status_bar(widget: QWidget) -> QRect:
    assert isinstance(widget, MainWindow)
    bar = widget.statusBar()
    return QRect(bar.mapTo(widget, QPoint(0, 0)), bar.size())


PICTURES: dict[str, Picture] = {
    # -- clerk.md
    "sign-in.png": Picture("sign-in", SignInDialog),
    "change-password.png": Picture("change-password", ChangePasswordDialog),
    "lock-screen.png": Picture("lock-screen", LockScreen, region=_lock_panel),
    "reminders.png": Picture("reminders", RemindersDialog),
    "intake.png": Picture("intake", "intake_page"),
    "household-dialog.png": Picture("household-dialog", HouseholdDialog),
    "intake-receipt.png": Picture("intake-receipt", "intake_page"),
    "preview-receipt.png": Picture("preview-receipt", DocumentPreviewDialog),
    "queue.png": Picture("queue", "queue_page"),
    "referral-complete-dialog.png": Picture("manual-referral-complete", ReferralActionDialog),
    "preview-referral.png": Picture("manual-referral-slip", DocumentPreviewDialog),
    "kpi.png": Picture("kpi", "kpi_page"),
    "notice-draft-dialog.png": Picture("notice-draft-dialog", NoticeDraftDialog),
    "notice-draft-skipped.png": Picture("notice-draft-skipped", NoticeDraftDialog),
    "notice-post-dialog.png": Picture("notice-post-dialog", NoticePostDialog),
    "preview-notice.png": Picture("preview-notice", DocumentPreviewDialog),
    "objection-dialog.png": Picture("objection-dialog", ObjectionDialog),
    "resolve-objection-dialog.png": Picture("resolve-objection-dialog", ResolveObjectionDialog),
    "notice-page.png": Picture("notice-page", "notice_page"),
    "household-documents-menu.png": Picture(
        "household-documents-menu", "registry_page", popups=True
    ),
    "care-agreement-dialog.png": Picture("care-agreement-dialog", CareAgreementDialog),
    "missing-glyphs-dialog.png": Picture("missing-glyphs-dialog", MissingGlyphsDialog),
    "preview-agreement.png": Picture("preview-agreement-confirmed", DocumentPreviewDialog),
    "support-agreement-dialog.png": Picture("support-agreement-dialog", SupportAgreementDialog),
    "archive-dialog.png": Picture("archive-dialog", ArchivedDocumentsDialog),
    "ledger-export.png": Picture("ledger-export", "ledger_page", region=_top(370)),
    "ledger-import-errors.png": Picture("ledger-import-errors", "ledger_page"),
    "ledger-match.png": Picture("ledger-match", "ledger_page"),
    "backup-status.png": Picture("manual-backup-status", "kpi_page", region=_status_bar),
    "about.png": Picture("about", QDialog),
    # -- admin.md
    "first-admin.png": Picture("first-admin", FirstAdminDialog),
    "first-start.png": Picture("manual-first-start", FirstStartDialog),
    "site-dialog.png": Picture("first-start", FirstStartDialog),
    "admin-users.png": Picture("admin-users", "admin_page"),
    "new-user-dialog.png": Picture("new-user-dialog", NewUserDialog),
    "admin-audit.png": Picture("admin-audit", "admin_page"),
    "admin-parameters.png": Picture("admin-parameters", "admin_page"),
    "admin-rule-sets.png": Picture("admin-rule-sets-local", "admin_page"),
    "admin-holidays.png": Picture("admin-holidays", "admin_page"),
}


# ----------------------------------------------------------------------------- the manual
def shown_pictures() -> dict[str, list[str]]:
    """Picture file name -> where the manual shows it (``clerk.md:12``)."""
    shown: dict[str, list[str]] = {}
    for page in manual_pages():
        for number, target in links(page):
            path = target.split("#", 1)[0]
            if path.startswith("img/"):
                shown.setdefault(path[4:], []).append(f"{page.name}:{number}")
    return shown


# ----------------------------------------------------------------------------- extra steps
def manual_steps(
    app: QApplication, services: Services, window: MainWindow
) -> dict[str, list[Shot]]:
    """Steps of the manual's own, run right after the base step named by the key."""
    queue = window.queue_page

    def close() -> QWidget:
        _close_dialogs(app)
        return window

    def referral_complete() -> QWidget:
        _close_dialogs(app)
        dialog = _opened(app, ReferralActionDialog, lambda: queue.act(ReferralAction.COMPLETE))
        assert dialog.result_edit is not None
        assert dialog.amount_edit is not None
        dialog.result_edit.setPlainText("已纳入就业援助对象，推荐公益性岗位，每月补贴800元")
        dialog.amount_edit.setText("800")
        return dialog

    def referral_slip() -> QWidget:
        _close_dialogs(app)
        preview = _opened(app, DocumentPreviewDialog, queue.print_referral)
        preview.scroll_to_page(1)
        bar = preview.scroll_area.verticalScrollBar()
        bar.setValue(bar.value() + preview.scroll_area.viewport().height() // 2)
        return preview

    def backup_status() -> QWidget:
        """An automatic backup as the window makes one every 4 hours and at exit."""
        _close_dialogs(app)
        window.show_page(window.kpi_page)
        path = window.config.sqlite_path
        assert path is not None
        auto = AutoBackup(path, window.config.data_dir / "backups", window)
        auto.finished.connect(lambda text: window.statusBar().showMessage(text, 15_000))
        auto.run_now()
        return window

    def clear_status() -> QWidget:
        window.statusBar().clearMessage()  # not in the pictures after this one
        return window

    def first_start() -> QWidget:
        """The first start's own dialog (no window identity stored yet)."""
        _close_dialogs(app)

        def show() -> FirstStartDialog:
            return open_dialog(FirstStartDialog(services.site.save, parent=window))

        dialog = _opened(app, FirstStartDialog, show)
        dialog.township_edit.setText("宁谷镇")
        dialog.code_edit.setText("520402102000")
        dialog.phone_edit.setText("0851-33221100")
        dialog.address_edit.setText("宁谷镇便民服务中心一楼")
        dialog.clerk_edit.setText("周建国")
        return dialog

    return {
        "queue": [
            ("manual-referral-complete", referral_complete),
            ("manual-referral-slip", referral_slip),
            ("manual-close-queue", close),
        ],
        "kpi": [("manual-backup-status", backup_status), ("manual-clear-status", clear_status)],
        "first-start": [("manual-first-start", first_start), ("manual-close-site", close)],
    }


# ----------------------------------------------------------------------------- pictures
def grab(app: QApplication, widget: QWidget, picture: Picture) -> QPixmap:
    _settle(app)
    pixmap = widget.grab()
    if picture.popups:
        painter = QPainter(pixmap)
        origin = widget.mapToGlobal(QPoint(0, 0))
        for menu in app.topLevelWidgets():
            if isinstance(menu, QMenu) and menu.isVisible():
                painter.drawPixmap(menu.mapToGlobal(QPoint(0, 0)) - origin, menu.grab())
        painter.end()
    if picture.region is not None:
        pixmap = pixmap.copy(picture.region(widget))
    return pixmap


def wrong_widget(window: MainWindow, widget: QWidget, picture: Picture) -> str | None:
    """Why ``widget`` is not what ``picture`` shows, or None."""
    if isinstance(picture.shows, str):
        page = getattr(window, picture.shows)
        if widget is not window:
            return f"expected the main window, got {type(widget).__name__}"
        if window.pages.currentWidget() is not page:
            current = window.nav.currentItem()
            return f"expected page {picture.shows}, the window shows {current.text() if current else '?'}"
        return None
    if not isinstance(widget, picture.shows) or not widget.isVisible():
        return f"expected a visible {picture.shows.__name__}, got {type(widget).__name__}"
    return None


def png_bytes(pixmap: QPixmap) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    return bytes(buffer.data().data())


def blank_problem(image: Image.Image) -> str | None:
    """Why ``image`` looks blank (too small, or nearly one colour), or None."""
    if image.width < 80 or image.height < 20:
        return f"only {image.width}x{image.height} pixels"
    pixels = image.width * image.height
    colors = image.convert("RGB").getcolors(pixels) or []
    top = max(count for count, _color in colors)
    if top / pixels > BLANK_SHARE or len(colors) < 8:
        return f"blank: one colour covers {top / pixels:.1%} of it, {len(colors)} colours in all"
    return None


def compressed(image: Image.Image) -> bytes:
    """The picture with a 256-colour palette: a third of the size, text stays sharp."""
    out = io.BytesIO()
    palette = image.convert("RGB").quantize(
        256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    palette.save(out, "PNG", optimize=True)
    return out.getvalue()


# ----------------------------------------------------------------------------- checks
def check_manual(shown: dict[str, list[str]], *, update: bool) -> list[str]:
    """Problems found without Qt: pictures without a recipe, missing or unused files."""
    problems = [
        f"{where[0]}: shows img/{name}, but scripts/manual_screenshots.py has no recipe for it "
        "(add it to PICTURES)"
        for name, where in sorted(shown.items())
        if name not in PICTURES
    ]
    if not update:
        problems += [
            f"{where[0]}: shows img/{name}, which is not in docs/manual/img "
            "(run scripts/manual_screenshots.py --update)"
            for name, where in sorted(shown.items())
            if name in PICTURES and not (IMG / name).is_file()
        ]
        problems += [
            f"docs/manual/img/{path.name}: no manual page shows it (delete it, or run --update)"
            for path in sorted(IMG.glob("*"))
            if path.name not in shown
        ]
    return problems


def run(out: Path, *, update: bool) -> list[str]:
    shown = shown_pictures()
    problems = check_manual(shown, update=update)
    wanted = {name: PICTURES[name] for name in shown if name in PICTURES}
    by_step: dict[str, list[str]] = {}
    for name, picture in wanted.items():
        by_step.setdefault(picture.step, []).append(name)

    started = time.monotonic()
    # The demo users' passwords get 1,000 PBKDF2 rounds instead of 600,000: no picture
    # shows the difference, and twenty-odd hashes would cost CI a quarter of a minute.
    desk_app.services.users.hash_password = functools.partial(hash_password, iterations=1000)  # type: ignore[attr-defined]
    app, services, window = open_demo(households=120)
    timings: list[tuple[float, str]] = [(time.monotonic() - started, "(demo database and window)")]
    extras = manual_steps(app, services, window)
    steps: list[Shot] = []
    for step in main_shots(app, services, window):
        steps.append(step)
        steps.extend(extras.get(step[0], []))
    known = {name for name, _make in steps}
    for step_name, names in sorted(by_step.items()):
        if step_name not in known:
            problems += [f"img/{n}: no step {step_name!r} in the screenshot scripts" for n in names]
    last = max((i for i, (name, _m) in enumerate(steps) if name in by_step), default=-1)
    taken: dict[str, bytes] = {}
    try:
        for name, make in steps[: last + 1]:
            started = time.monotonic()
            try:
                widget = make()
            except Exception as exc:  # one broken step must not hide the others
                problems += [
                    f"img/{n}: step {name!r} failed: {exc!r}" for n in by_step.get(name, [])
                ]
                if name not in by_step:
                    problems.append(f"step {name!r} failed: {exc!r}")
                _close_dialogs(app)
                continue
            for picture_name in by_step.get(name, []):
                picture = wanted[picture_name]
                wrong = wrong_widget(window, widget, picture)
                if wrong:
                    problems.append(f"img/{picture_name}: step {name!r}: {wrong}")
                    continue
                data = png_bytes(grab(app, widget, picture))
                image = Image.open(io.BytesIO(data))
                blank = blank_problem(image)
                if blank:
                    problems.append(f"img/{picture_name}: {blank}")
                    continue
                (out / picture_name).write_bytes(data)
                taken[picture_name] = data
                print(f"{picture_name:34} {image.width}x{image.height}")
            timings.append((time.monotonic() - started, name))
    finally:
        close_demo(app, services, window)
    slow = ", ".join(f"{name} {seconds:.1f} s" for seconds, name in sorted(timings)[::-1][:6])
    print(f"slowest steps: {slow}")
    if update:
        IMG.mkdir(parents=True, exist_ok=True)
        for name, data in taken.items():
            (IMG / name).write_bytes(compressed(Image.open(io.BytesIO(data))))
        for path in sorted(IMG.glob("*")):
            if path.name not in shown:
                path.unlink()
                print(f"deleted docs/manual/img/{path.name}: no manual page shows it")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Take the manual's pictures from the real program."
    )
    parser.add_argument("--out", type=Path, help="folder for the pictures (CI: a temporary one)")
    parser.add_argument(
        "--update", action="store_true", help="also write them into docs/manual/img (compressed)"
    )
    args = parser.parse_args(argv)
    if args.out is None and not args.update:
        parser.error("give --out DIR, or --update to refresh docs/manual/img")
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="desk-manual-"))
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    problems = run(out, update=args.update)
    seconds = time.monotonic() - start
    if problems:
        print(f"\nmanual_screenshots: {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    count = len(list(out.glob("*.png")))
    print(f"manual_screenshots: {count} pictures in {out}, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
