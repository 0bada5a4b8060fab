import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeCommand } from '../../../src/cli/probe';
import { replay } from './helpers';

/** Runs the command in-process, capturing what it prints. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const code = await probeCommand.run(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('--json on a recognized server prints kind, version, live/ready, models and evidence; exit 0', async () => {
  const r = await replay('triton', 'ready');
  const { code, out } = await run(r.url(), '--json');
  assert.equal(code, 0);
  const j = JSON.parse(out);
  assert.equal(j.kind, 'triton');
  assert.equal(j.version, '2.59.0');
  assert.equal(j.live, true);
  assert.equal(j.ready, true);
  assert.deepEqual(j.models[0], { name: 'simple', ready: true, versions: ['1'], state: 'READY' });
  assert.match(j.evidence, /^GET \/v2 → name "triton"/);
  assert.equal(j.status, 'ready');
});

test('a readable summary without --json', async () => {
  const r = await replay('ollama', 'ready');
  const { code, out } = await run(r.url());
  assert.equal(code, 0);
  assert.match(out, /^Ollama 0\.12\.6 at http:\/\/127\.0\.0\.1:\d+: ready\n {2}evidence: GET \/ → "Ollama is running"/);
  assert.match(out, /✓ llama3\.2:1b {2}\(versions baf6a787fdff; loaded\)/);
  assert.match(out, /metrics: Ollama has no built-in Prometheus metrics endpoint\./);
});

test('exit 3 for a reachable non-server, and the JSON says what was seen', async () => {
  const r = await replay('nginx', 'default-page');
  const { code, out } = await run(r.url(), '--json');
  assert.equal(code, 3);
  const j = JSON.parse(out);
  assert.equal(j.kind, null);
  assert.equal(j.status, 'unrecognized');
  assert.match(j.seen['GET /'], /Welcome to nginx/);
});

test('exit 2 for a refused port and for an invalid URL, each saying which', async () => {
  const refused = await run('http://127.0.0.1:1', '--json', '--timeout', '500');
  assert.equal(refused.code, 2);
  assert.match(JSON.parse(refused.out).error, /^Connection refused/);
  const invalid = await run('ftp://example', '--json');
  assert.equal(invalid.code, 2);
  assert.match(JSON.parse(invalid.out).error, /^Unsupported scheme "ftp:"/);
});

test('--api-key-env reads the key from the environment and never prints it; a missing variable is a usage error', async () => {
  const r = await replay('vllm', 'api-key');
  process.env.IL_TEST_KEY = 'sk-very-secret';
  try {
    const { code, out } = await run(r.url(), '--json', '--api-key-env', 'IL_TEST_KEY');
    assert.equal(code, 0);
    assert.ok(!out.includes('sk-very-secret'));
    assert.ok(r.requests.some((q) => q.headers.authorization === 'Bearer sk-very-secret'));
  } finally {
    delete process.env.IL_TEST_KEY;
  }
  const missing = await run(r.url(), '--api-key-env', 'IL_TEST_KEY');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /environment variable IL_TEST_KEY \(from --api-key-env\) is not set/);
});

test('--kind skips detection; --model names TF Serving models; bad options are usage errors', async () => {
  const r = await replay('tfserving', 'ready');
  const { code, out } = await run(r.url(), '--json', '--kind', 'tfserving', '--model', 'half');
  assert.equal(code, 0);
  const j = JSON.parse(out);
  assert.deepEqual([j.kind, j.ready, j.models[0].name], ['tfserving', true, 'half']);
  assert.equal((await run(r.url(), '--kind', 'nope')).code, 2);
  assert.equal((await run(r.url(), '--timeout', '-5')).code, 2);
  assert.equal((await run()).code, 2);
});

test('--management-url and --metrics-url reach TorchServe side ports that are not inference port + 1 / + 2', async () => {
  const r = await replay('torchserve', 'ready');
  const { code, out } = await run(
    r.url(),
    '--json',
    '--management-url',
    r.url('management'),
    '--metrics-url',
    `${r.url('metrics')}/metrics`,
  );
  assert.equal(code, 0);
  const j = JSON.parse(out);
  assert.deepEqual(
    j.models.map((m: { name: string }) => m.name),
    ['resnet-18', 'bert'],
  );
  assert.equal(j.gauges.requestsTotal, 42);
});
