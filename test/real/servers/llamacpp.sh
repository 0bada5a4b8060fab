#!/usr/bin/env bash
# llama.cpp through llama-cpp-python's OpenAI-compatible server (PyPI `llama-cpp-python[server]`, built from source:
# scripts/python/requirements/llamacpp.env) with a tiny random Llama written as GGUF here (test/real/models/tiny_gguf.py).
#   llamacpp.sh setup         venv (the build took 580 s on 2 cores at load 4-14, once) + $MODELS/tiny-llama.gguf; idempotent
#   llamacpp.sh start <port>  serves it as "tiny" on 127.0.0.1:<port>, foreground
# Health: GET /v1/models (llama-cpp-python has no /health and no /metrics; /extras/tokenize counts tokens).
source "$(dirname "$0")/common.sh"
VENV="$VENVS/llamacpp"
GGUF="$MODELS/tiny-llama.gguf"
case "${1:-}" in
  setup)
    venv_setup llamacpp
    nice -n 10 "$VENV/bin/python" "$REAL_DIR/models/tiny_gguf.py" "$GGUF"
    ;;
  start)
    port=${2:?port}
    exec "$VENV/bin/python" -m llama_cpp.server --model "$GGUF" --model_alias tiny --host 127.0.0.1 --port "$port" \
      --n_ctx 1024 --n_threads 2
    ;;
  *) usage_exit ;;
esac
