#!/usr/bin/env bash
# Set up (idempotent) and start the program on its default SQLite database.
# Extra arguments go to desk-app, e.g. scripts/start.sh --demo
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh" runtime
exec "$ROOT/.venv/bin/desk-app" "$@"
