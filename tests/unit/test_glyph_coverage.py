"""Every character our code and seed data can put on screen exists in the bundled font.

A fresh hall PC has no CJK font of its own: a character missing from the bundled face
would be drawn as a box (or, with a system fallback, look different on every machine).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from fontTools.ttLib import TTFont

from resources import DOCUMENT_FONT_FILE, UI_FONT_FILE

ROOT = Path(__file__).resolve().parents[2]

# Characters code handles but never shows, each with the reason.
NEVER_SHOWN = {
    "\ufeff": "byte-order mark stripped from input files",
    "\U0010ffff": "upper bound of a prefix range in search SQL",
    "・": "katakana middle dot, folded to · when a name is typed",
}


def _strings_in_code() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for package in ("ui", "desk_app", "reports"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    for ch in node.value:
                        if ord(ch) > 0x7F and not ch.isspace() and ch not in NEVER_SHOWN:
                            found.setdefault(ch, set()).add(str(path.relative_to(ROOT)))
    return found


def _strings_in_seed() -> set[str]:
    seed = ROOT / "desk_app" / "persistence" / "migrations" / "data"
    chars: set[str] = set()
    for path in seed.glob("*.json"):
        chars |= {
            ch
            for ch in json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
            if ord(ch) > 0x7F
        }
    return chars


def test_ui_font_covers_every_character_in_code_and_seed_data() -> None:
    cmap = TTFont(UI_FONT_FILE).getBestCmap()
    code = _strings_in_code()
    missing = {ch: sorted(files) for ch, files in code.items() if ord(ch) not in cmap}
    missing.update({ch: ["seed data"] for ch in _strings_in_seed() if ord(ch) not in cmap})
    assert missing == {}, {f"{ch} U+{ord(ch):04X}": files for ch, files in missing.items()}


def test_document_font_covers_the_ui_font() -> None:
    ui = set(TTFont(UI_FONT_FILE).getBestCmap())
    song = set(TTFont(DOCUMENT_FONT_FILE).getBestCmap())
    assert ui - song == set()
