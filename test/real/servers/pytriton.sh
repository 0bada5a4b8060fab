#!/usr/bin/env bash
# NVIDIA Triton through PyPI's nvidia-pytriton (it bundles tritonserver) with an image and a BYTES model built here.
#   pytriton.sh setup         venv (scripts/python/requirements/pytriton.txt) + grpcurl; idempotent
#   pytriton.sh start <port>  HTTP on <port>, gRPC on <port>+1, metrics on <port>+2 (127.0.0.1), foreground
# Health: GET /v2/health/ready.
source "$(dirname "$0")/common.sh"
VENV="$VENVS/pytriton"
case "${1:-}" in
  setup)
    venv_setup pytriton
    grpcurl_setup
    ;;
  start)
    port=${2:?port}
    # The bundled tritonserver loads libpython of the interpreter that built the venv.
    export LD_LIBRARY_PATH="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))')${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    exec "$VENV/bin/python" "$REAL_DIR/models/pytriton_server.py" "$port"
    ;;
  *) usage_exit ;;
esac
