#!/usr/bin/env bash
# TorchServe (PyPI `torchserve` + `torch-model-archiver`, Java 17) with an image classifier and a streaming text
# generator built here (test/real/models/torchserve_models.py).
#   torchserve.sh setup         venv (scripts/python/requirements/torchserve.txt) + model store in $MODELS/torchserve
#   torchserve.sh start <port>  inference on <port>, management on <port>+1, metrics on <port>+2, gRPC inference and
#                               management on <port>+3 and +4 (127.0.0.1), foreground, one worker per model
# Health: GET /ping (Healthy before the workers run: the registry also waits for them on the management API).
# Token authorization is off (on by default since 0.11) and so is the model-control API. metrics_mode=prometheus:
# in the default "log" mode the metrics API answers an empty body.
source "$(dirname "$0")/common.sh"
VENV="$VENVS/torchserve"
STORE="$MODELS/torchserve"
case "${1:-}" in
  setup)
    venv_setup torchserve
    nice -n 10 "$VENV/bin/python" "$REAL_DIR/models/torchserve_models.py" "$STORE"
    ;;
  start)
    port=${2:?port}
    # TorchServe writes logs and a config snapshot into its working directory: give it one of its own.
    work="${TMPDIR:-/tmp}/inference-lab-torchserve-$port"
    rm -rf "$work" && mkdir -p "$work"
    cat >"$work/config.properties" <<CONF
inference_address=http://127.0.0.1:$port
management_address=http://127.0.0.1:$((port + 1))
metrics_address=http://127.0.0.1:$((port + 2))
grpc_inference_address=127.0.0.1
grpc_management_address=127.0.0.1
grpc_inference_port=$((port + 3))
grpc_management_port=$((port + 4))
model_store=$STORE
load_models=image=image.mar,text=text.mar
default_workers_per_model=1
install_py_dep_per_model=false
disable_system_metrics=true
metrics_mode=prometheus
CONF
    cd "$work"
    # TorchServe keeps its PID in $TMPDIR/.model_server.pid and refuses to start while that process lives (and
    # `torchserve --stop` stops whichever server wrote it): each instance gets its own, so several can run at once.
    export TMPDIR="$work"
    export PATH="$VENV/bin:$PATH" LOG_LOCATION="$work/logs" METRICS_LOCATION="$work/logs" OMP_NUM_THREADS=1
    exec "$VENV/bin/torchserve" --start --foreground --ncs --disable-token-auth --ts-config "$work/config.properties"
    ;;
  *) usage_exit ;;
esac
