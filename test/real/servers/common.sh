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
venv_setup() { nice -n 10 bash "$REPO_DIR/scripts/python/setup.sh" "$@"; }
usage_exit() { echo "usage: $0 setup | start <port>" >&2; exit 2; }
