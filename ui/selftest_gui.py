"""The window part of ``desk-app self-test`` (``--gui``; on by default in the installed build).

A hall PC may have no Chinese font at all: the program carries its own (``ui/fonts.py``)
and Qt's Chinese button texts (``ui/i18n.py``). This check does what start-up does —
:func:`ui.app.create_application` loads the bundled fonts and the translators — then builds
the real main window on the self-test database, shows it on the offscreen platform (never
on the clerk's screen) and proves that:

* the interface font is the bundled face, and every character of a Chinese sample is in
  it (``QFontMetrics.inFontUcs4``);
* a label with that sample actually draws ink (not empty boxes or nothing);
* Qt's own buttons read 确定/取消 (``qtbase_zh_CN.qm`` was found in the frozen layout).

It is passed into :func:`desk_app.selftest.run_self_test` like the PDF builder, because the
core may not import Qt.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

SAMPLE = "社会救助综合服务窗口 张堃 李秀英 一门受理（协同办理）"


def process_age() -> float | None:
    """Seconds since this process was created (bootloader included), or None if unknown.

    Linux: /proc (10 ms resolution); Windows: GetProcessTimes. Used to report the installed
    program's time to its first window without the headless steps of the self-test.
    """
    system: str = sys.platform  # a plain str: both branches are type-checked on any OS
    try:
        if system.startswith("linux"):
            with open("/proc/self/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open("/proc/uptime", encoding="ascii") as fh:
                uptime = float(fh.read().split()[0])
            return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
        if system == "win32":
            import ctypes  # noqa: PLC0415
            from ctypes import wintypes  # noqa: PLC0415

            created, exited, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            handle = kernel32.GetCurrentProcess()
            kernel32.GetProcessTimes(
                handle, *(ctypes.byref(t) for t in (created, exited, kernel, user))
            )
            kernel32.GetSystemTimeAsFileTime(ctypes.byref(now))

            def ticks(t: wintypes.FILETIME) -> int:
                return (t.dwHighDateTime << 32) | t.dwLowDateTime

            return (ticks(now) - ticks(created)) / 1e7
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    return None


def check_window(db_url: str, workdir: Path, *, reached_command: float | None = None) -> str:
    """Build and show the main window offscreen; return one line, raise on failure.

    ``reached_command``: :func:`process_age` when the command began; with it the line also
    gives the time from process start to the first window, as a clerk would wait for it
    (start-up, then Qt, fonts, services and the window), without the headless steps.
    """
    from desk_app.selftest import SelfTestError  # noqa: PLC0415

    started = time.perf_counter()
    # Offscreen unless the caller chose a platform: the check must not pop up a window.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject  # noqa: PLC0415 - headless commands import no Qt
    from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics, QImage  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel  # noqa: PLC0415

    from desk_app.bootstrap import open_services  # noqa: PLC0415
    from desk_app.config import AppConfig  # noqa: PLC0415
    from desk_app.services.context import SYSTEM  # noqa: PLC0415
    from resources import DOCUMENT_FONT_FAMILY, UI_FONT_FAMILY  # noqa: PLC0415
    from ui.app import build_main_window, create_application  # noqa: PLC0415

    def expect(condition: bool, what: str) -> None:
        if not condition:
            raise SelfTestError(what)

    app = create_application([sys.argv[0] if sys.argv else "desk-app"])
    config = AppConfig(
        data_dir=workdir,
        log_dir=workdir / "logs",
        config_dir=workdir / "gui-config",
        db_url=db_url,
    )
    services = open_services(db_url, identity=SYSTEM)
    try:
        window = build_main_window(services, config)
        painted: list[bool] = []

        class _Watch(QObject):
            def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted.append(True)
                return False

        watch = _Watch()
        window.installEventFilter(watch)
        window.show()
        deadline = time.perf_counter() + 30
        while not painted and time.perf_counter() < deadline:
            app.processEvents()
        window.removeEventFilter(watch)
        first_window = time.perf_counter() - started
        expect(bool(painted) and window.isVisible(), "the main window was not painted")

        bundled = {UI_FONT_FAMILY, DOCUMENT_FONT_FAMILY}
        system_families = [f for f in QFontDatabase.families() if f not in bundled]
        info = QFontInfo(window.font())
        expect(
            info.family() == UI_FONT_FAMILY,
            f"the window uses font {info.family()!r}, not the bundled {UI_FONT_FAMILY!r}",
        )
        metrics = QFontMetrics(window.font())
        missing = [ch for ch in SAMPLE if not ch.isspace() and not metrics.inFontUcs4(ord(ch))]
        expect(not missing, f"the bundled font lacks {''.join(missing)!r}")

        label = QLabel(SAMPLE)
        label.setFont(window.font())
        label.adjustSize()
        image = label.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
        ink = sum(
            1
            for y in range(image.height())
            for x in range(image.width())
            if image.pixelColor(x, y).lightness() < 128
        )
        label.deleteLater()
        expect(ink > 300, f"a Chinese label drew almost nothing ({ink} dark pixels)")

        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons = sorted(b.text() for b in box.buttons())
        box.deleteLater()
        expect(buttons == ["取消", "确定"], f"Qt's buttons read {buttons} (qtbase_zh_CN.qm)")

        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        services.close()
    others = ", ".join(system_families[:4]) + ("…" if len(system_families) > 4 else "")
    startup = (
        f"first window {reached_command + first_window:.2f} s after process start "
        f"({reached_command:.2f} s to the command + {first_window:.2f} s Qt step)"
        if reached_command is not None
        else f"first paint {first_window:.2f} s after the Qt step began"
    )
    return (
        f"window: ok ({startup}; "
        f"font {info.family()!r} draws Chinese, {ink} dark pixels; buttons {'/'.join(buttons)}; "
        f"other font families on this machine: {len(system_families)}"
        f"{f' ({others})' if others else ''}; platform {QApplication.platformName()})"
    )
