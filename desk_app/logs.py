"""Logging set-up shared by the window and the command line.

Logs carry record ids, never names, ID numbers, phones or bank accounts. Code is written
that way; :class:`RedactingFilter` is the safety net that masks anything shaped like an
ID number, a mobile number or a bank card should one slip into a message or traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import weakref
from pathlib import Path

LOG_FILE = "desk_app.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

_PATTERNS = (
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), "[身份证号]"),
    (re.compile(r"(?<!\d)\d{15}(?!\d)"), "[身份证号]"),
    (re.compile(r"(?<!\d)\d{16,19}(?!\d)"), "[银行账号]"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[手机号]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Mask ID, bank and phone numbers in the final message and any traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_OURS: weakref.WeakSet[logging.Handler] = weakref.WeakSet()
"""Handlers installed by :func:`setup_logging` (so a second call replaces, not adds)."""


def is_ours(handler: logging.Handler) -> bool:
    return handler in _OURS


def remove_handlers() -> None:
    """Take our handlers off the root logger and close them."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler in _OURS:
            root.removeHandler(handler)
            handler.close()


def setup_logging(log_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Rotate ``desk_app.log`` daily in ``log_dir`` (30 files kept); return its path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    remove_handlers()
    file_handler = logging.handlers.TimedRotatingFileHandler(
        path, when="midnight", backupCount=30, encoding="utf-8", delay=True
    )
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(RedactingFilter())
        _OURS.add(handler)
        root.addHandler(handler)
    root.setLevel(level)
    # SQL echo would print parameters, i.e. personal data: keep SQLAlchemy quiet.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path
