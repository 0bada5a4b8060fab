# Shared by the server scripts in this folder (sourced, not run).
# Venvs come from scripts/python/setup.sh; models are built into $MODELS (outside the repository).
set -euo pipefail
REAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$REAL_DIR/../.." && pwd)"
VENVS="${INFERENCE_LAB_VENVS:-$HOME/.cache/inference-lab/venvs}"
MODELS="${INFERENCE_LAB_MODELS:-$HOME/.cache/inference-lab/models}"
export INFERENCE_LAB_VENVS="$VENVS"
# No model hub and no telemetry: everything here is local.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 DO_NOT_TRACK=1 HF_HUB_DISABLE_TELEMETRY=1
mkdir -p "$MODELS"
# The server's venv(s), and the clients venv the conformance suite runs copied Python with.
venv_setup() { nice -n 10 bash "$REPO_DIR/scripts/python/setup.sh" "$@" clients; }
usage_exit() { echo "usage: $0 setup | start <port>" >&2; exit 2; }
# grpcurl for "Copy as grpcurl", built by the Go toolchain from the Go module proxy into a cache outside the
# repository (~1-2 min once; instant after). Pinned version.
GRPCURL_VERSION=v1.9.3
grpcurl_setup() {
  local bin="${INFERENCE_LAB_CACHE:-$HOME/.cache/inference-lab}/bin/grpcurl"
  if [ -x "$bin" ] && [ "$(cat "$bin.version" 2>/dev/null)" = "$GRPCURL_VERSION" ]; then return 0; fi
  command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
  GOPATH="${INFERENCE_LAB_CACHE:-$HOME/.cache/inference-lab}/go" GOBIN="$(dirname "$bin")" \
    nice -n 10 go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION" &&
    echo "$GRPCURL_VERSION" >"$bin.version"
}
