#!/usr/bin/env bash
# System needs of the workbench tier and of `npm start` on a machine without a
# `code` command: Debian chromium (driven by playwright-core, no browser
# download) and code-server (the real VS Code 1.100.3 workbench served to a
# browser, with a Node extension host). Reaches only the npm registry and
# Debian's apt repositories. Idempotent: each step is skipped when done.
#
# Env: E2E_HOME (default ${TMPDIR:-/tmp}/inference-lab-e2e) keeps code-server
#      OUT of the repository (~600 MB). CODE_SERVER_VERSION (default 4.100.3,
#      the last release whose engines accept Node 20).
set -euo pipefail
E2E_HOME="${E2E_HOME:-${TMPDIR:-/tmp}/inference-lab-e2e}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
log() { printf '[e2e-install %(%H:%M:%S)T] %s\n' -1 "$*"; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
mkdir -p "$E2E_HOME"
# node-gyp must build code-server's native modules against the installed Node
# headers; it would otherwise download them from nodejs.org (unreachable).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi

# 1. Debian packages. build-essential/python3/pkg-config: node-gyp for code-server's
#    native modules; libkrb5-dev: the kerberos module (no reachable prebuild);
#    libsecret-1-dev: keytar; chromium: the browser; ripgrep: stands in for
#    @vscode/ripgrep's GitHub download (step 2); unzip: the .vsix content check;
#    docker-compose: the snippet tests check Compose snippets with `docker-compose config`.
APT_PKGS=(build-essential pkg-config python3 libkrb5-dev libsecret-1-dev chromium ripgrep unzip docker-compose)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  APT=($SUDO env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get)
  "${APT[@]}" install -y --no-install-recommends "${missing[@]}" \
    || { "${APT[@]}" update && "${APT[@]}" install -y --no-install-recommends "${missing[@]}"; }
fi

# 2. @vscode/ripgrep (inside code-server) downloads rg from GitHub in postinstall
#    unless the tarball is in its cache dir: seed it with Debian's identical rg 13.0.0.
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) RG_TARGET="" ;;
esac
if [ -n "$RG_TARGET" ]; then
  RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-$RG_TARGET.tar.gz"
  if [ ! -s "$RG_TGZ" ]; then
    mkdir -p "$RG_CACHE"; t=$(mktemp -d); cp /usr/bin/rg "$t/rg"; tar czf "$RG_TGZ" -C "$t" rg; rm -rf "$t"
  fi
fi

# 3. code-server from npm (ships the whole VS Code workbench + server).
CS_DIR="$E2E_HOME/code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
cs() { XDG_CONFIG_HOME="$E2E_HOME/xdg/config" XDG_DATA_HOME="$E2E_HOME/xdg/data" XDG_CACHE_HOME="$E2E_HOME/xdg/cache" "$CS_BIN" "$@"; }
if [ -x "$CS_BIN" ] && [ -e "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node" ] \
   && cs --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "npm install code-server@$CODE_SERVER_VERSION (builds native modules, 1-2 min)"
  mkdir -p "$CS_DIR"; [ -f "$CS_DIR/package.json" ] || echo '{"name":"inference-lab-e2e-code-server","private":true}' > "$CS_DIR/package.json"
  # unsafe_perm: its postinstall refuses to run as root otherwise; yes: node-pty's
  # post-install runs `npx node-gyp`, which aborts without a TTY otherwise.
  ( cd "$CS_DIR" && npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" )
  cs --version
fi
log "ready: code-server $CS_BIN, chromium $(command -v chromium)"
