"""Console output for the headless commands: UTF-8 whatever the console's code page.

A Windows console may be GBK; Chinese text written as UTF-8 bytes reaches a log file or a
pipe intact. Every ``desk-app`` sub-command writes through here.
"""

from __future__ import annotations

import sys
from typing import TextIO


def write_utf8(stream: TextIO, text: str) -> None:
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
