/**
 * Short descriptions of the vLLM and TGI launch arguments people set most,
 * in our own words, for hovers in compose and Kubernetes YAML. Sources:
 * https://docs.vllm.ai/en/stable/configuration/engine_args.html and
 * https://github.com/huggingface/text-generation-inference/blob/main/docs/source/reference/launcher.md
 */
export type LaunchServer = 'vllm' | 'tgi';

export interface LaunchArgDoc {
  arg: string;
  doc: string;
}

export const LAUNCH_ARG_SOURCES: Readonly<Record<LaunchServer, string>> = {
  vllm: 'https://docs.vllm.ai/en/stable/configuration/engine_args.html',
  tgi: 'https://github.com/huggingface/text-generation-inference/blob/main/docs/source/reference/launcher.md',
};

export const VLLM_ARGS: readonly LaunchArgDoc[] = [
  {
    arg: '--model',
    doc: 'Hugging Face model id or local path to serve. Newer images also accept it as the first positional argument.',
  },
  { arg: '--served-model-name', doc: 'Name(s) clients send as `model`; defaults to the model id.' },
  { arg: '--host', doc: 'Address to listen on; use `0.0.0.0` inside a container.' },
  { arg: '--port', doc: 'HTTP port (default 8000).' },
  {
    arg: '--api-key',
    doc: 'Require `Authorization: Bearer <key>` on the `/v1` routes. Prefer the `VLLM_API_KEY` environment variable from a secret over a literal in the file.',
  },
  {
    arg: '--tensor-parallel-size',
    doc: 'Split every layer across this many GPUs (default 1). Needs fast GPU interconnect and shared memory (`--ipc=host` or a large shm).',
  },
  { arg: '-tp', doc: 'Short form of `--tensor-parallel-size`.' },
  {
    arg: '--pipeline-parallel-size',
    doc: 'Split the layers into this many stages on different GPUs or nodes (default 1).',
  },
  { arg: '--data-parallel-size', doc: 'Run this many engine replicas behind one server.' },
  {
    arg: '--max-model-len',
    doc: "Maximum prompt + output tokens per sequence. Defaults to the model's context length; lower it when the KV cache for that length does not fit.",
  },
  {
    arg: '--gpu-memory-utilization',
    doc: "Fraction of each GPU's memory vLLM may use (default 0.9). What remains after the weights becomes KV cache.",
  },
  {
    arg: '--max-num-seqs',
    doc: 'Maximum sequences in the running batch. Caps concurrency per replica and, with it, time per output token.',
  },
  {
    arg: '--max-num-batched-tokens',
    doc: 'Token budget per scheduler step (prefill chunks plus decode tokens). Smaller values protect inter-token latency, larger ones speed up prefill.',
  },
  { arg: '--dtype', doc: 'Weight and activation precision: `auto`, `half`/`float16`, `bfloat16`, `float`/`float32`.' },
  {
    arg: '--quantization',
    doc: 'Quantization method of the weights (e.g. `awq`, `gptq`, `fp8`); usually detected from a pre-quantized checkpoint.',
  },
  {
    arg: '--kv-cache-dtype',
    doc: 'KV-cache precision: `auto` or an FP8 variant, which roughly doubles how many tokens fit.',
  },
  {
    arg: '--enable-prefix-caching',
    doc: 'Reuse KV-cache blocks of prompt prefixes shared between requests. On by default in the V1 engine; `--no-enable-prefix-caching` turns it off.',
  },
  {
    arg: '--enable-chunked-prefill',
    doc: 'Split long prefills into chunks that run alongside decodes, so one long prompt does not stall running streams.',
  },
  {
    arg: '--trust-remote-code',
    doc: 'Allow model code from the model repository to run. Pin `--revision` when you use it.',
  },
  { arg: '--revision', doc: 'Model revision (branch, tag or commit) to load.' },
  { arg: '--tokenizer', doc: 'Tokenizer id or path, when it differs from the model.' },
  { arg: '--download-dir', doc: 'Where weights are downloaded; defaults to the Hugging Face cache.' },
  { arg: '--load-format', doc: 'How weights are loaded (`auto`, `safetensors`, `pt`, `gguf`, …).' },
  { arg: '--seed', doc: 'Random seed for sampling.' },
  { arg: '--swap-space', doc: 'CPU memory (GiB per GPU) for swapped-out KV blocks.' },
  {
    arg: '--cpu-offload-gb',
    doc: 'Offload this many GiB of weights to CPU memory per GPU: fits bigger models, costs speed.',
  },
  { arg: '--enforce-eager', doc: 'Disable CUDA graphs: less memory and faster start, slower decoding.' },
  { arg: '--enable-lora', doc: 'Serve LoRA adapters on top of the base model.' },
  { arg: '--lora-modules', doc: 'Adapters to serve, as `name=path` pairs; clients select one with `model`.' },
  { arg: '--max-lora-rank', doc: 'Highest LoRA rank accepted.' },
  { arg: '--chat-template', doc: 'Chat template file or string, for models whose tokenizer has none.' },
  { arg: '--generation-config', doc: "`auto` (use the model's generation_config.json defaults), `vllm`, or a folder." },
  { arg: '--enable-auto-tool-choice', doc: 'Let the model decide to call tools; needs `--tool-call-parser`.' },
  {
    arg: '--tool-call-parser',
    doc: "Parser that extracts tool calls from the model's output (model-family specific).",
  },
  { arg: '--reasoning-parser', doc: 'Parser that separates reasoning text from the answer for reasoning models.' },
  { arg: '--limit-mm-per-prompt', doc: 'Maximum images/videos/audio items per prompt for multimodal models.' },
  { arg: '--max-logprobs', doc: 'Highest number of log-probabilities a request may ask for.' },
  { arg: '--block-size', doc: 'Tokens per KV-cache block.' },
  {
    arg: '--speculative-config',
    doc: 'JSON settings for speculative decoding (draft model or n-gram, number of speculative tokens).',
  },
  {
    arg: '--enable-force-include-usage',
    doc: 'Always send a final usage chunk in streams, even if the client did not ask for it.',
  },
  { arg: '--show-hidden-metrics-for-version', doc: 'Re-enable metrics deprecated in the given version.' },
  { arg: '--uvicorn-log-level', doc: 'Log level of the HTTP server.' },
  {
    arg: '--disable-log-requests',
    doc: 'Do not log each request (older releases; newer ones log requests only with `--enable-log-requests`).',
  },
  { arg: '--otlp-traces-endpoint', doc: 'OpenTelemetry endpoint to send request traces to.' },
];

export const TGI_ARGS: readonly LaunchArgDoc[] = [
  { arg: '--model-id', doc: 'Hugging Face model id or local folder to serve (env `MODEL_ID`).' },
  { arg: '--revision', doc: 'Model revision: a commit, tag or branch such as `refs/pr/2`.' },
  {
    arg: '--validation-workers',
    doc: 'Tokenizer workers that validate and truncate requests in the router (default 2).',
  },
  { arg: '--sharded', doc: 'Whether to shard the model across GPUs (by default all visible GPUs are used).' },
  { arg: '--num-shard', doc: 'Number of GPUs (shards) to split the model across.' },
  {
    arg: '--quantize',
    doc: 'Quantization: `awq`, `gptq`, `marlin`, `exl2`, `eetq`, `bitsandbytes`, `bitsandbytes-nf4`, `bitsandbytes-fp4`, `fp8`, `compressed-tensors`. Not needed for pre-quantized checkpoints.',
  },
  { arg: '--speculate', doc: 'Number of tokens to speculate (Medusa heads if the model has them, otherwise n-gram).' },
  { arg: '--dtype', doc: 'Force `float16` or `bfloat16`; cannot be combined with `--quantize`.' },
  {
    arg: '--kv-cache-dtype',
    doc: 'KV-cache precision: `fp8_e4m3fn` or `fp8_e5m2` (CUDA); defaults to the model dtype.',
  },
  { arg: '--trust-remote-code', doc: 'Allow model code from the Hub to run; pin `--revision` with it.' },
  {
    arg: '--max-concurrent-requests',
    doc: 'Requests beyond this number are refused instead of queued (default 128): backpressure.',
  },
  { arg: '--max-best-of', doc: 'Highest `best_of` a client may ask for (default 2).' },
  { arg: '--max-stop-sequences', doc: 'Highest number of stop sequences per request (default 4).' },
  { arg: '--max-top-n-tokens', doc: 'Highest `top_n_tokens` per request (default 5).' },
  { arg: '--max-input-tokens', doc: 'Longest prompt accepted, in tokens.' },
  { arg: '--max-input-length', doc: 'Older name of `--max-input-tokens`.' },
  {
    arg: '--max-total-tokens',
    doc: 'Prompt + generated tokens allowed per request: the per-request memory budget. Larger values mean fewer requests fit in a batch.',
  },
  {
    arg: '--waiting-served-ratio',
    doc: 'How many waiting requests (relative to running ones) trigger pausing decodes to prefill new requests into the batch.',
  },
  {
    arg: '--max-batch-prefill-tokens',
    doc: 'Tokens processed in one prefill step; bounds prefill memory and compute.',
  },
  {
    arg: '--max-batch-total-tokens',
    doc: 'Total tokens of all sequences in the running batch: the main lever on concurrency. Set as large as the free GPU memory allows.',
  },
  {
    arg: '--max-waiting-tokens',
    doc: 'Decode steps to run before waiting requests are forced into the batch (default 20).',
  },
  { arg: '--max-batch-size', doc: 'Hard cap on requests per batch (for hardware without unpadded batching).' },
  { arg: '--cuda-graphs', doc: 'Batch sizes to capture CUDA graphs for; `0` disables them.' },
  { arg: '--hostname', doc: 'Address to listen on (default `0.0.0.0`).' },
  { arg: '--port', doc: 'HTTP port (launcher default 3000; the Docker image sets 80).' },
  {
    arg: '--prometheus-port',
    doc: 'Port of the separate Prometheus metrics listener (default 9000 in recent releases).',
  },
  { arg: '--shard-uds-path', doc: 'Unix socket used between the router and the shards.' },
  {
    arg: '--huggingface-hub-cache',
    doc: 'Location of the Hugging Face cache (mount a volume here to keep downloads).',
  },
  { arg: '--cuda-memory-fraction', doc: 'Fraction of GPU memory TGI may use (default 1.0).' },
  { arg: '--rope-scaling', doc: '`linear` or `dynamic` RoPE scaling for longer contexts; with `--rope-factor`.' },
  { arg: '--rope-factor', doc: 'Scaling factor for `--rope-scaling`.' },
  { arg: '--json-output', doc: 'Write logs as JSON.' },
  { arg: '--otlp-endpoint', doc: 'OpenTelemetry endpoint for traces.' },
  { arg: '--otlp-service-name', doc: 'Service name in traces.' },
  { arg: '--cors-allow-origin', doc: 'Origins allowed by CORS.' },
  {
    arg: '--api-key',
    doc: 'Require `Authorization: Bearer <key>` on the generation routes. Prefer an environment variable from a secret.',
  },
  { arg: '--tokenizer-config-path', doc: 'Tokenizer config file (may hold the chat template).' },
  { arg: '--disable-grammar-support', doc: 'Turn off grammar-constrained generation.' },
  { arg: '--max-client-batch-size', doc: 'Highest number of inputs per request (default 4).' },
  { arg: '--lora-adapters', doc: 'LoRA adapter ids to load at start; requests choose one with `adapter_id`.' },
  { arg: '--usage-stats', doc: 'Anonymous usage statistics: `on` (default), `off` or `no-stack`.' },
  { arg: '--payload-limit', doc: 'Maximum request body size in bytes (default 2 MB).' },
  { arg: '--enable-prefill-logprobs', doc: 'Allow prompt log-probabilities (memory-hungry, off by default).' },
];
