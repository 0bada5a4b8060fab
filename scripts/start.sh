#!/usr/bin/env bash
# `npm start`: run Inference Lab on its embedded default server.
#  - with a desktop `code` command: build and open VS Code with the extension in
#    development mode (like F5);
#  - otherwise: install code-server (first run only), package and install the
#    extension, serve the real VS Code workbench on 127.0.0.1 and print its URL.
# Env: PORT (default 8080), HOST (default 127.0.0.1), INFERENCE_LAB_FOLDER (folder to open, default this repo).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
if command -v code >/dev/null 2>&1 && code --version 2>/dev/null | head -1 | grep -Eq '^1\.[0-9]+'; then
  node esbuild.mjs
  exec code --extensionDevelopmentPath="$PWD" "${INFERENCE_LAB_FOLDER:-$PWD}"
fi
bash test/e2e/install.sh
exec node scripts/start.mjs
