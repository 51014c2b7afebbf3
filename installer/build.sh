#!/usr/bin/env bash
# Build and check the installed form of desk_app (issue #11). See docs/installer.md.
#
#   bash installer/build.sh bundle     PyInstaller one-folder build -> dist/desk-app/
#   bash installer/build.sh verify     the bundle holds what it must and nothing it must not
#   bash installer/build.sh selftest   frozen `self-test --gui` on a simulated bare machine
#                                      (no fonts, no Python, no source tree; Linux, root)
#   bash installer/build.sh measure    size, file count, start-up and self-test times
#   bash installer/build.sh installer  the Windows installer (Inno Setup; prints the command)
#   bash installer/build.sh clean      remove build/pyinstaller, dist/desk-app, figures
#   bash installer/build.sh ci         bundle + verify + selftest + measure (.ci/run)
#
# Outputs stay in build/ and dist/ (both gitignored). The figures of the last `measure`
# are in build/installer-figures.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
[[ -x "$ROOT/.venv/Scripts/python.exe" ]] && PY="$ROOT/.venv/Scripts/python.exe"  # Git Bash on Windows
SPEC="installer/desk_app.spec"
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"
BUNDLE="$DIST/desk-app"
FIGURES="$ROOT/build/installer-figures.txt"
EXE_SUFFIX=""
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) EXE_SUFFIX=".exe" ;; esac
CLI="desk-app-cli$EXE_SUFFIX"

say() { printf '[installer] %s\n' "$*"; }
die() { printf '[installer] error: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

need_venv() {
    [[ -x "$PY" ]] || die "no .venv: run bash scripts/setup.sh (or scripts/check.sh) first"
    if ! "$PY" -c 'import PyInstaller' 2>/dev/null; then
        say "installing the build extra (PyInstaller) into .venv"
        "$PY" -m pip install --quiet -e ".[build]"
    fi
}

need_bundle() {
    [[ -x "$BUNDLE/$CLI" ]] || die "no bundle at $BUNDLE: run bash installer/build.sh bundle"
}

cmd_bundle() {
    need_venv
    local t0; t0=$(now)
    say "building $BUNDLE (PyInstaller $("$PY" -c 'import PyInstaller; print(PyInstaller.__version__)'))"
    "$PY" -m PyInstaller "$SPEC" --noconfirm --log-level WARN \
        --distpath "$DIST" --workpath "$WORK"
    say "bundle built in $(since "$t0") s: $(du -sm "$BUNDLE" | cut -f1) MB, $(find "$BUNDLE" -type f | wc -l) files"
}

cmd_verify() {
    need_venv
    need_bundle
    "$PY" installer/verify_bundle.py "$BUNDLE"
}

# ----------------------------------------------------------------------------- sandbox
# A bare hall PC, simulated on the CI machine (we run as root there): a private mount
# namespace in which empty read-only folders are bind-mounted over every font folder, the
# fontconfig caches, every Python installation (the project's .venv, pyenv, /usr/lib/python3*,
# /usr/local/lib/python3*), root's home and the whole source tree. The bundle itself is
# bind-mounted to a neutral path first, so the frozen program sees nothing but itself and the
# operating system's C libraries. `env -i` drops every variable (no PYTHONPATH, no
# QT_PLUGIN_PATH, no FONTCONFIG_*); HOME is a new empty folder.
HIDE=(
    /usr/share/fonts /usr/local/share/fonts /usr/share/X11/fonts /usr/lib/X11/fonts
    /var/cache/fontconfig /usr/share/fontconfig
    /usr/lib/python3 /usr/lib/python3.11 /usr/lib/python3.12 /usr/lib/python3.13
    /usr/local/lib/python3.11 /usr/local/lib/python3.12 /usr/local/lib/python3.13
    /opt/conda /root
)

sandbox_possible() {
    [[ "$(id -u)" == 0 ]] && unshare --mount --propagation private true 2>/dev/null
}

# sandbox_run OUT_FILE COMMAND...: run COMMAND (paths under $BUNDLE are rewritten to the
# sandbox's copy) in the simulated bare machine; its output goes to OUT_FILE and stdout.
sandbox_run() {
    local out="$1"; shift
    local empty app home venv_prefix base_prefix
    empty=$(mktemp -d /tmp/desk-app-empty.XXXXXX)
    app=$(mktemp -d /tmp/desk-app-bundle.XXXXXX)
    home=$(mktemp -d /tmp/desk-app-home.XXXXXX)
    venv_prefix=$("$PY" -c 'import sys; print(sys.prefix)')
    base_prefix=$("$PY" -c 'import sys; print(sys.base_prefix)')
    # Inner folders first (a folder inside one already hidden is no longer there to hide);
    # the source tree last: the sandbox reports what is left of it.
    local hide=("$base_prefix" "$venv_prefix" "${HIDE[@]}" "$ROOT")
    local args=()
    for a in "$@"; do args+=("${a//$BUNDLE/$app}"); done
    # shellcheck disable=SC2016
    unshare --mount --propagation private bash -s -- "$empty" "$app" "$home" "$BUNDLE" \
        "${#hide[@]}" "${hide[@]}" "${args[@]}" >"$out" 2>&1 <<'SANDBOX'
set -euo pipefail
empty=$1 app=$2 home=$3 bundle=$4 n=$5; shift 5
hide=("${@:1:$n}"); shift "$n"
cd /
mount --bind "$bundle" "$app"
for d in "${hide[@]}"; do
    if [[ -d "$d" ]]; then
        mount --bind "$empty" "$d"
        mount -o remount,bind,ro "$d"
    fi
done
echo "sandbox: hidden: ${hide[*]}"
echo "sandbox: fc-list finds $(fc-list 2>/dev/null | wc -l) fonts" \
     "($(fc-list : family 2>/dev/null | sort -u | tr '\n' ' '))"
for py in python3 python; do
    if command -v "$py" >/dev/null 2>&1; then
        if env -i PATH=/usr/bin:/bin "$py" -c 'import encodings' >/dev/null 2>&1; then
            echo "sandbox: FAIL: $py still starts"; exit 3
        fi
        echo "sandbox: $(command -v "$py") exists but cannot start (its library is hidden)"
    else
        echo "sandbox: no $py on PATH"
    fi
done
echo "sandbox: the source tree holds $(ls -A "${hide[-1]}" | wc -l) entries; the bundle is at $app"
exec env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen TMPDIR=/tmp "$@"
SANDBOX
    local rc=$?
    cat "$out"
    rm -rf "$empty" "$home"
    rmdir "$app" 2>/dev/null || true
    return $rc
}

cmd_selftest() {
    need_bundle
    local log="$ROOT/build/installer-selftest.txt"
    mkdir -p "$ROOT/build"
    local t0; t0=$(now)
    if sandbox_possible; then
        say "frozen self-test --gui on a simulated machine with no fonts and no Python packages"
        sandbox_run "$log" "$BUNDLE/$CLI" self-test --gui \
            || die "frozen self-test failed in the sandbox (output: $log)"
        fgrep -q "fc-list finds 0 fonts" "$log" || die "the sandbox still showed fonts"
    else
        say "SKIP: the no-fonts/no-packages simulation needs root and a mount namespace" \
            "(unshare --mount failed here); running the frozen self-test on this machine as it is"
        env -i HOME="$(mktemp -d)" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
            "$BUNDLE/$CLI" self-test --gui 2>&1 | tee "$log"
        [[ ${PIPESTATUS[0]} == 0 ]] || die "frozen self-test failed (output: $log)"
    fi
    grep -q "^self-test ok" "$log" || die "no 'self-test ok' line (output: $log)"
    say "frozen self-test passed in $(since "$t0") s (wall, including the sandbox set-up)"
}

# Median of N runs of a command's wall time, in seconds.
wall() {
    local n=$1; shift
    local times=()
    for _ in $(seq "$n"); do
        local t0; t0=$(now)
        "$@" >/dev/null 2>&1 || die "failed: $*"
        times+=("$(since "$t0")")
    done
    printf '%s\n' "${times[@]}" | median
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

cmd_measure() {
    need_bundle
    local home; home=$(mktemp -d)
    local size files internal version selftest gui_total windows=() totals=()
    size=$(du -sm "$BUNDLE" | cut -f1)
    files=$(find "$BUNDLE" -type f | wc -l)
    internal=$(du -sm "$BUNDLE/_internal" | cut -f1)
    export DESK_APP_HOME="$home" QT_QPA_PLATFORM=offscreen
    "$BUNDLE/$CLI" --version >/dev/null  # warm the page cache once
    version=$(wall 5 "$BUNDLE/$CLI" --version)
    selftest=$(wall 3 "$BUNDLE/$CLI" self-test --no-gui)
    for _ in 1 2 3; do
        local t0 out; t0=$(now)
        out=$("$BUNDLE/$CLI" self-test --gui) || die "frozen self-test --gui failed"
        totals+=("$(since "$t0")")
        windows+=("$(sed -n 's/.*first window \([0-9.]*\) s after process start.*/\1/p' <<<"$out")")
    done
    gui_total=$(printf '%s\n' "${totals[@]}" | median)
    unset DESK_APP_HOME
    rm -rf "$home"
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
        echo "platform: $(uname -sm), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
        echo "bundle: ${size} MB on disk, ${files} files (_internal ${internal} MB)"
        echo "frozen --version (process start, Python, command line; no Qt): ${version} s (median of 5)"
        echo "frozen self-test --no-gui wall time: ${selftest} s (median of 3)"
        echo "frozen self-test --gui wall time: ${gui_total} s (median of 3)"
        echo "frozen first window, offscreen, from process start: $(printf '%s\n' "${windows[@]}" | median) s (median of 3; the self-test's headless steps excluded)"
    } | tee "$FIGURES"
}

cmd_installer() {
    local iss="installer/desk_app.iss"
    local version
    version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' desk_app/__init__.py)
    say "the Windows installer is built on Windows with Inno Setup 6 from the bundle that"
    say "installer/build.sh bundle made ON WINDOWS (PyInstaller does not cross-compile):"
    say ""
    say "  \"C:\\Program Files (x86)\\Inno Setup 6\\ISCC.exe\" /DAppVersion=$version $iss"
    say ""
    say "output: dist\\desk-app-$version-setup.exe"
    local iscc=""
    if command -v iscc >/dev/null 2>&1; then
        iscc=iscc
    elif command -v wine >/dev/null 2>&1; then
        local candidate="$HOME/.wine/drive_c/Program Files (x86)/Inno Setup 6/ISCC.exe"
        [[ -f "$candidate" ]] && iscc="wine \"$candidate\""
    fi
    if [[ -z "$iscc" ]]; then
        say "ISCC is not available here (neither iscc nor Inno Setup under wine): nothing built"
        return 0
    fi
    [[ -f "$BUNDLE/desk-app.exe" ]] || die "no Windows bundle at $BUNDLE (desk-app.exe): build it on Windows"
    say "running: $iscc /DAppVersion=$version $iss"
    eval "$iscc" "/DAppVersion=$version" "$iss"
}

cmd_clean() {
    rm -rf "$WORK" "$BUNDLE" "$FIGURES" "$ROOT/build/installer-selftest.txt"
    say "removed build/pyinstaller, dist/desk-app and the figures"
}

cmd_ci() {
    local t0; t0=$(now)
    cmd_bundle
    cmd_verify
    cmd_selftest
    cmd_measure
    say "installer CI step done in $(since "$t0") s"
}

case "${1:-}" in
    bundle | verify | selftest | measure | installer | clean | ci) "cmd_$1" ;;
    *)
        sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
