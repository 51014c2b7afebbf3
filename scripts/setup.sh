#!/usr/bin/env bash
# Shared set-up for scripts/start.sh and scripts/check.sh. Idempotent: a second run only
# checks. Installs Debian packages through apt when run as root; otherwise prints the
# exact apt-get line and stops. Usage: scripts/setup.sh [runtime|test]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROFILE="${1:-runtime}"
VENV="$ROOT/.venv"

# Qt needs these even offscreen (feasibility.md §1); the xcb set is for a real display.
APT_QT=(libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0)
APT_XCB=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
         libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
         libxkbcommon-x11-0 libx11-xcb1)
# libreoffice-calc-nogui: tests convert an exported ledger with `libreoffice --headless` (#7).
# postgresql: the integration suite runs a second time on a private server (#9).
APT_TEST=(poppler-utils libreoffice-calc-nogui postgresql)

say() { printf '[desk-app setup] %s\n' "$*"; }

pick_python() {
    for candidate in "${DESK_APP_PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}

PY="$(pick_python)" || { say "需要 Python 3.11 或更新版本 / Python >= 3.11 is required: apt-get install -y python3"; exit 1; }

wanted=("${APT_QT[@]}")
case "$PROFILE" in
    runtime) wanted+=("${APT_XCB[@]}") ;;
    test) wanted+=("${APT_TEST[@]}") ;;
    *) say "unknown profile $PROFILE"; exit 2 ;;
esac
if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    wanted+=("python3-venv")
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "${wanted[@]}"; do
        status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
        [ "$status" = "install ok installed" ] || missing+=("$pkg")
    done
fi
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        say "apt-get install ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        say "缺少系统软件包 / missing Debian packages. Run as root:"
        echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtual environment .venv with $("$PY" --version)"
    "$PY" -m venv "$VENV"
fi

extras=""
[ "$PROFILE" = "test" ] && extras="[test]"
stamp="$VENV/.desk-app-installed-$PROFILE"
want_hash="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_hash" ]; then
    say "installing Python packages ($PROFILE)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23.2"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$extras"
    echo "$want_hash" > "$stamp"
else
    say "Python packages up to date"
fi
