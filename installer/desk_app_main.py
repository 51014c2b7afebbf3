"""Entry point of the frozen program (installer/desk_app.spec): the same as ``desk-app``."""

from __future__ import annotations

import sys

from ui.cli import main

if __name__ == "__main__":
    sys.exit(main())
