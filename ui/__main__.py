"""``python -m ui`` is the same as ``desk-app``."""

from __future__ import annotations

import sys

from ui.cli import main

sys.exit(main())
