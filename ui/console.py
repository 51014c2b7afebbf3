"""Console output for the headless commands: UTF-8 whatever the console's code page.

A Windows console may be GBK; Chinese text written as UTF-8 bytes reaches a log file or a
pipe intact. Every ``desk-app`` sub-command writes through here.

The installed Windows program ``desk-app.exe`` is a windowed executable (no console
window flashes when a clerk double-clicks it), and there ``sys.stdout`` and ``sys.stderr``
are None. :func:`ensure_streams` gives such a process somewhere to write: both streams go
to ``desk-app-console.log`` in the log folder (appended, UTF-8, one header per run), so a
sub-command started from a shortcut or a scheduled task neither crashes nor loses what it
said. Administrators run sub-commands with ``desk-app-cli.exe``, the console twin of the
same program, which prints in the console and sets ``%ERRORLEVEL%`` (docs/installer.md).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

CONSOLE_LOG = "desk-app-console.log"
"""Where a windowed process's output goes (in the log folder)."""


def write_utf8(stream: TextIO | None, text: str) -> None:
    if stream is None:  # a windowed process before ensure_streams(): nowhere to write
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a captured stream in tests
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def out(text: str) -> None:
    write_utf8(sys.stdout, text)


def err(text: str) -> None:
    write_utf8(sys.stderr, text)


def ensure_streams(log_dir: Path, argv: Sequence[str] = ()) -> Path | None:
    """Replace a missing ``sys.stdout``/``sys.stderr`` by the console log file.

    Returns the file's path when a stream was replaced, None when both exist (a console,
    a pipe, a test). If even the log folder cannot be written, the missing streams become
    sinks that discard the text: a headless command must still run and set its exit code.
    """
    if sys.stdout is not None and sys.stderr is not None:
        return None
    path: Path | None = log_dir / CONSOLE_LOG
    stream: TextIO
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        # Stays open as sys.stdout/sys.stderr until the process ends.
        stream = open(log_dir / CONSOLE_LOG, "a", encoding="utf-8", errors="replace")  # noqa: SIM115
        stamp = dt.datetime.now().isoformat(timespec="seconds")
        # The sub-command only: arguments can hold a server password (--db URL), file
        # names made of household names, or an operator's name, and this file goes into
        # the diagnostic bundle.
        command = next((a for a in argv if not a.startswith("-")), "")
        known = command if command.isascii() and command.replace("-", "").isalpha() else "…"
        stream.write(f"\n--- {stamp} desk-app {known if command else ''}\n")
        stream.flush()
    except OSError:
        stream, path = open(os.devnull, "w", encoding="utf-8"), None  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
    return path
