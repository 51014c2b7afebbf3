"""desk_app: the Qt-free core of the 社会救助综合服务窗口 desktop program.

Nothing in this package imports Qt, ``reports`` or ``ui`` (enforced by import-linter),
and nothing opens a database at import time: see :mod:`desk_app.bootstrap`.
"""

from __future__ import annotations

__version__ = "0.1.0"
