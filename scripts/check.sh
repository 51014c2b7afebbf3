#!/usr/bin/env bash
# Set up (idempotent) and run every check: ruff, mypy, import-linter, pytest.
# Extra arguments go to pytest, e.g. scripts/check.sh -k search
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh" test
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
BIN="$ROOT/.venv/bin"
echo "== ruff check";   "$BIN/ruff" check .
echo "== ruff format";  "$BIN/ruff" format --check .
echo "== mypy";         "$BIN/mypy"
echo "== import-linter"; "$BIN/lint-imports"
echo "== pytest";       "$BIN/python" -m pytest "$@"
