#!/usr/bin/env bash
# Set up (idempotent) and run every check: ruff, mypy, import-linter, pytest — the whole
# suite on SQLite, then the integration suite again on a private PostgreSQL server
# (scripts/pg_test_server.sh). Extra arguments go to both pytest runs, e.g.
# scripts/check.sh -k search. DESK_APP_SKIP_PG=1 skips the PostgreSQL run (say so when
# you use it: CI never does).
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
echo "== pytest (SQLite)"; "$BIN/python" -m pytest "$@"
if [ "${DESK_APP_SKIP_PG:-}" = "1" ]; then
    echo "== pytest (PostgreSQL): skipped because DESK_APP_SKIP_PG=1"
else
    PG_URL="$(bash "$ROOT/scripts/pg_test_server.sh" | tail -1)"
    echo "== pytest (PostgreSQL, integration suite)"
    DESK_APP_TEST_PG="$PG_URL" "$BIN/python" -m pytest tests/integration "$@"
fi
