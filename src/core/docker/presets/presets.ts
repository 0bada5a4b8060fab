/**
 * Built-in presets, from each server's official `docker run` line
 * (/work/shared/wire-reference.md §3–§10). Tags are defaults the user can
 * override per launch.
 */
import type { PresetEnv, PresetParam, PresetPort, PresetVolume, ServerPreset } from './presetTypes';

const minutes = (n: number) => n * 60_000;

const hfToken: PresetEnv = {
  name: 'HF_TOKEN',
  secret: true,
  description: 'Hugging Face token for gated models (from secret storage).',
};
const hfCache = (containerPath: string): PresetVolume => ({
  role: 'hfCache',
  containerPath,
  defaultSource: '~/.cache/huggingface',
  description: 'Hugging Face cache, shared with the host so that models download once.',
});
const modelId: PresetParam = {
  name: 'modelId',
  label: 'Model id',
  required: true,
  description: 'Hugging Face model id, e.g. Qwen/Qwen2.5-0.5B-Instruct.',
};
const maxModelLen: PresetParam = { name: 'maxModelLen', label: 'Max model length (tokens)' };
const tensorParallel: PresetParam = { name: 'tensorParallelSize', label: 'Tensor parallel size (GPUs)' };
const port = (
  name: string,
  container: number,
  defaultHostPort = container,
  protocol: PresetPort['protocol'] = 'http',
  role: PresetPort['role'] = 'inference',
): PresetPort => ({
  name,
  container,
  protocol,
  role,
  defaultHostPort,
});

export const builtinPresets: readonly ServerPreset[] = [
  {
    id: 'triton',
    label: 'NVIDIA Triton Inference Server',
    description: 'Serves a model repository over KServe v2 HTTP and gRPC, with Prometheus metrics.',
    serverKind: 'triton',
    image: 'nvcr.io/nvidia/tritonserver',
    tag: '25.01-py3',
    supportsCpu: true,
    ports: [port('http', 8000), port('grpc', 8001, 8001, 'grpc'), port('metrics', 8002, 8002, 'http', 'metrics')],
    shmSize: '1g',
    volumes: [
      {
        role: 'modelRepository',
        containerPath: '/models',
        required: true,
        readOnly: true,
        description: 'Triton model repository (one folder per model, with config.pbtxt).',
      },
    ],
    env: [],
    args: [{ value: 'tritonserver' }, { value: '--model-repository=/models' }],
    params: [],
    health: { port: 'http', path: '/v2/health/ready', expectStatus: 200, timeoutMs: minutes(5) },
  },
  {
    id: 'vllm',
    label: 'vLLM (OpenAI-compatible)',
    description: 'Serves one Hugging Face LLM with the OpenAI API. Needs an NVIDIA GPU.',
    serverKind: 'vllm',
    image: 'vllm/vllm-openai',
    tag: 'latest',
    supportsCpu: false,
    ports: [port('http', 8000)],
    ipcHost: true,
    volumes: [hfCache('/root/.cache/huggingface')],
    env: [hfToken],
    args: [
      { flag: '--model', value: '{modelId}' },
      { flag: '--max-model-len', value: '{maxModelLen}' },
      { flag: '--tensor-parallel-size', value: '{tensorParallelSize}' },
    ],
    params: [modelId, maxModelLen, tensorParallel],
    health: { port: 'http', path: '/health', expectStatus: 200, timeoutMs: minutes(20) },
  },
  {
    id: 'tgi',
    label: 'Hugging Face Text Generation Inference',
    description: 'Serves one Hugging Face LLM (TGI API and OpenAI chat). Needs an NVIDIA GPU.',
    serverKind: 'tgi',
    image: 'ghcr.io/huggingface/text-generation-inference',
    tag: '3.3.5',
    supportsCpu: false,
    ports: [port('http', 80, 8080)],
    shmSize: '1g',
    volumes: [hfCache('/data')],
    env: [hfToken],
    args: [
      { flag: '--model-id', value: '{modelId}' },
      { flag: '--max-total-tokens', value: '{maxModelLen}' },
      { flag: '--num-shard', value: '{tensorParallelSize}' },
    ],
    params: [modelId, maxModelLen, { ...tensorParallel, label: 'Shards (GPUs)' }],
    health: { port: 'http', path: '/health', expectStatus: 200, timeoutMs: minutes(20) },
  },
  {
    id: 'ollama',
    label: 'Ollama',
    description: 'Runs Ollama; pull models through its API afterwards. Uses GPUs when present.',
    serverKind: 'ollama',
    image: 'ollama/ollama',
    tag: 'latest',
    supportsCpu: true,
    ports: [port('http', 11434)],
    volumes: [
      {
        role: 'data',
        containerPath: '/root/.ollama',
        defaultSource: 'ollama',
        description: 'Ollama models and keys (a named volume by default).',
      },
    ],
    env: [],
    args: [],
    params: [],
    health: { port: 'http', path: '/', expectStatus: 200, bodyIncludes: 'Ollama is running', timeoutMs: minutes(2) },
  },
  {
    id: 'torchserve',
    label: 'TorchServe',
    description: 'Serves .mar archives from a model store (inference, management and metrics APIs).',
    serverKind: 'torchserve',
    image: 'pytorch/torchserve',
    tag: 'latest-gpu',
    cpuTag: 'latest-cpu',
    supportsCpu: true,
    ports: [
      port('http', 8080),
      port('management', 8081, 8081, 'http', 'management'),
      port('metrics', 8082, 8082, 'http', 'metrics'),
      port('grpc', 7070, 7070, 'grpc'),
      port('grpc-management', 7071, 7071, 'grpc', 'management'),
    ],
    shmSize: '1g',
    ulimits: [
      { name: 'memlock', soft: -1, hard: -1 },
      { name: 'stack', soft: 67108864, hard: 67108864 },
    ],
    volumes: [
      {
        role: 'modelRepository',
        containerPath: '/home/model-server/model-store',
        description: 'Model store holding .mar archives.',
      },
    ],
    env: [],
    args: [],
    params: [],
    health: { port: 'http', path: '/ping', expectStatus: 200, timeoutMs: minutes(5) },
  },
  {
    id: 'tfserving',
    label: 'TensorFlow Serving',
    description: 'Serves one SavedModel (numeric version folders) over REST and gRPC.',
    serverKind: 'tfserving',
    image: 'tensorflow/serving',
    tag: 'latest-gpu',
    cpuTag: 'latest',
    supportsCpu: true,
    ports: [port('http', 8501), port('grpc', 8500, 8500, 'grpc')],
    volumes: [
      {
        role: 'modelRepository',
        containerPath: '/models/{modelName}',
        required: true,
        readOnly: true,
        description: "Folder holding the model's numeric version folders.",
      },
    ],
    env: [{ name: 'MODEL_NAME', value: '{modelName}' }],
    args: [],
    params: [{ name: 'modelName', label: 'Model name', required: true, default: 'model' }],
    health: {
      port: 'http',
      path: '/v1/models/{modelName}',
      expectStatus: 200,
      bodyIncludes: 'AVAILABLE',
      timeoutMs: minutes(5),
    },
  },
  {
    id: 'tei',
    label: 'Hugging Face Text Embeddings Inference',
    description: 'Serves one embedding, reranker or classifier model.',
    serverKind: 'tei',
    image: 'ghcr.io/huggingface/text-embeddings-inference',
    tag: 'cuda-1.9',
    cpuTag: 'cpu-1.9',
    supportsCpu: true,
    ports: [port('http', 80, 8080)],
    volumes: [hfCache('/data')],
    env: [hfToken],
    args: [{ flag: '--model-id', value: '{modelId}' }],
    params: [{ ...modelId, description: 'Hugging Face model id, e.g. BAAI/bge-small-en-v1.5.' }],
    health: { port: 'http', path: '/health', expectStatus: 200, timeoutMs: minutes(10) },
  },
];

export function findPreset(id: string, extra: readonly ServerPreset[] = []): ServerPreset | undefined {
  return [...extra, ...builtinPresets].find((p) => p.id === id);
}

/** Repository without registry-less differences: `docker.io/library/x` and `x` are the same. */
export function imageRepository(image: string): string {
  let ref = image.split('@')[0];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  return ref.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

/** Server kind of a container started elsewhere from one of the built-in images. */
export function serverKindForImage(image: string): string | undefined {
  const repo = imageRepository(image);
  return builtinPresets.find((p) => p.image === repo)?.serverKind;
}
