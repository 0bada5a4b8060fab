#!/usr/bin/env bash
# MLServer (PyPI `mlserver` + `mlserver-sklearn`) serving a scikit-learn classifier trained here ("iris").
#   mlserver.sh setup         venv + model folder in $MODELS/mlserver-iris; idempotent
#   mlserver.sh start <port>  HTTP on <port>, gRPC on <port>+1, metrics on <port>+2 (127.0.0.1), foreground
# Health: GET /v2/health/ready. Inference in-process (parallel_workers 0: one process on 2 cores).
source "$(dirname "$0")/common.sh"
VENV="$VENVS/mlserver"
MODEL_DIR="$MODELS/mlserver-iris"
case "${1:-}" in
  setup)
    venv_setup mlserver
    grpcurl_setup
    nice -n 10 "$VENV/bin/python" "$REAL_DIR/models/sklearn_iris.py" "$MODEL_DIR"
    ;;
  start)
    port=${2:?port}
    export MLSERVER_HOST=127.0.0.1 MLSERVER_HTTP_PORT=$port MLSERVER_GRPC_PORT=$((port + 1)) MLSERVER_METRICS_PORT=$((port + 2)) \
      MLSERVER_PARALLEL_WORKERS=0 MLSERVER_METRICS_ENDPOINT=/metrics
    cd "$MODEL_DIR"
    exec "$VENV/bin/mlserver" start .
    ;;
  *) usage_exit ;;
esac
