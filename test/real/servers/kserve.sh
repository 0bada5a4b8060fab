#!/usr/bin/env bash
# KServe's Python model server (PyPI `kserve`, no Kubernetes) with a scikit-learn model trained at start ("iris").
#   kserve.sh setup         venv (scripts/python/requirements/kserve.txt) + grpcurl; idempotent
#   kserve.sh start <port>  HTTP (v1 + v2 + /metrics) on <port>, gRPC on <port>+1, foreground, one worker
# Health: GET /v2/health/ready.
source "$(dirname "$0")/common.sh"
VENV="$VENVS/kserve"
case "${1:-}" in
  setup)
    venv_setup kserve
    grpcurl_setup
    ;;
  start)
    port=${2:?port}
    exec "$VENV/bin/python" "$REAL_DIR/models/kserve_iris.py" --model_name iris --http_port "$port" --grpc_port $((port + 1)) --workers 1
    ;;
  *) usage_exit ;;
esac
