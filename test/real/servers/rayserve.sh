#!/usr/bin/env bash
# Ray Serve (PyPI `ray[serve]`): a local Ray (1 CPU, no dashboard) running one application, "llm", at a route prefix
# ("/" unless given): a FastAPI deployment serving the OpenAI API with a tiny random model built on start (test/real/models/rayserve_app.py).
#   rayserve.sh setup         venv (scripts/python/requirements/rayserve.txt); idempotent
#   rayserve.sh start <port> [route prefix]  the Serve HTTP proxy on 127.0.0.1:<port>, foreground; SIGTERM shuts Ray down
# Health: GET /-/healthz on the proxy ("success"); /-/routes maps the prefix to "llm".
source "$(dirname "$0")/common.sh"
VENV="$VENVS/rayserve"
case "${1:-}" in
  setup)
    venv_setup rayserve
    ;;
  start)
    port=${2:?port}
    export RAY_USAGE_STATS_ENABLED=0 RAY_ENABLE_RECORD_ACTOR_TASK_LOGGING=0 OMP_NUM_THREADS=1
    exec "$VENV/bin/python" "$REAL_DIR/models/rayserve_app.py" "$port" "${@:3}"
    ;;
  *) usage_exit ;;
esac
