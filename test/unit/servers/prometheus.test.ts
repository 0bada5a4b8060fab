import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { mapGauges, metricsFromText } from '../../../src/core/metrics/gauges';
import { parsePrometheusText } from '../../../src/core/metrics/prometheus';
import { loadRecording } from './replayServer';

function metricsBody(server: string, name: string, path: string): string {
  const e = loadRecording(server, name).exchanges.find((x) => x.request.path === path);
  assert.ok(e?.response.body, `${server}/${name} has ${path}`);
  return e.response.body;
}

test('parses TorchServe label sets with a trailing comma', () => {
  const p = parsePrometheusText('GPUUtilization{Level="Host",DeviceId="0",Hostname="h",} 60.0\n');
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.samples, [
    { name: 'GPUUtilization', labels: { Level: 'Host', DeviceId: '0', Hostname: 'h' }, value: 60 },
  ]);
});

test('parses TF Serving names that start with ":" and vLLM names with ":" inside', () => {
  const p = parsePrometheusText(
    ':tensorflow:serving:request_count{model_name="half",status="OK"} 40\nvllm:num_requests_running{engine="0"} 4.0\n',
  );
  assert.deepEqual(
    p.samples.map((s) => [s.name, s.value]),
    [
      [':tensorflow:serving:request_count', 40],
      ['vllm:num_requests_running', 4],
    ],
  );
});

test('keeps histogram labels, _sum and _count, and the TYPE/HELP lines', () => {
  const p = parsePrometheusText(metricsBody('vllm', 'ready', '/metrics'));
  const bucket = p.samples.find((s) => s.name === 'vllm:e2e_request_latency_seconds_bucket' && s.labels.le === '+Inf');
  assert.equal(bucket?.labels.model_name, 'Qwen/Qwen2.5-0.5B-Instruct');
  assert.equal(p.samples.find((s) => s.name === 'vllm:e2e_request_latency_seconds_sum')?.value, 87.5);
  assert.equal(p.types.get('vllm:e2e_request_latency_seconds'), 'histogram');
  assert.match(p.help.get('vllm:num_requests_running') ?? '', /model execution batches/);
});

test('reads escapes, special values, timestamps and OpenMetrics exemplars; stops at # EOF', () => {
  const p = parsePrometheusText(
    [
      'x{a="say \\"hi\\"\\n",b="c,d"} NaN 1700000000000',
      'y +Inf',
      'z -Inf',
      'w 1.5e3',
      'foo_total 7 # {trace_id="abc"} 1.0',
      '# EOF',
      'after 1',
    ].join('\r\n'),
  );
  assert.deepEqual(p.errors, []);
  const [x, y, z, w, foo] = p.samples;
  assert.deepEqual(x.labels, { a: 'say "hi"\n', b: 'c,d' });
  assert.ok(Number.isNaN(x.value));
  assert.equal(x.timestampMs, 1700000000000);
  assert.equal(y.value, Infinity);
  assert.equal(z.value, -Infinity);
  assert.equal(w.value, 1500);
  assert.equal(foo.value, 7);
  assert.equal(p.samples.length, 5);
});

test('records unreadable lines instead of failing the whole scrape', () => {
  const p = parsePrometheusText('good 1\nbad{a="unterminated} 2\nalso bad\n{x="y"} 3\ngood2 2\n');
  assert.deepEqual(
    p.samples.map((s) => s.name),
    ['good', 'good2'],
  );
  assert.deepEqual(
    p.errors.map((e) => e.line),
    [2, 3, 4],
  );
});

test('rejects an HTML page as not being Prometheus text, naming the URL', () => {
  assert.throws(
    () => metricsFromText('<html><body>nginx</body></html>\n', 'http://127.0.0.1:9/metrics'),
    (e: Error & { kind?: string }) =>
      e.kind === 'malformed' && /http:\/\/127\.0\.0\.1:9\/metrics did not return Prometheus text/.test(e.message),
  );
  // Empty text is a valid (empty) exposition.
  assert.equal(metricsFromText('', 'u').sampleCount, 0);
});

test("maps each server's own names onto the common gauges", () => {
  const g = (server: string, name: string, path: string) =>
    mapGauges(parsePrometheusText(metricsBody(server, name, path)).samples);
  assert.deepEqual(g('vllm', 'ready', '/metrics'), {
    requestsRunning: 4,
    requestsQueued: 2,
    kvCacheUsage: 0.375,
    requestsTotal: 100,
    promptTokensTotal: 12345,
    generationTokensTotal: 6789,
  });
  assert.deepEqual(g('tgi', 'ready', '/metrics'), {
    requestsRunning: 5,
    requestsQueued: 3,
    requestsTotal: 57,
    requestsFailed: 2,
    promptTokensTotal: 4400,
    generationTokensTotal: 2750,
  });
  assert.deepEqual(g('triton', 'ready', '/metrics'), {
    requestsQueued: 4,
    gpuUtilization: 0.375,
    gpuMemoryUsedBytes: 1610612736,
    gpuMemoryTotalBytes: 51539607552,
    requestsTotal: 53,
    requestsFailed: 3,
  });
  assert.deepEqual(g('torchserve', 'ready', '/metrics'), {
    gpuUtilization: 0.4,
    gpuMemoryUsedBytes: 1536 * 1024 * 1024,
    requestsTotal: 42,
    requestsFailed: 2,
  });
  assert.deepEqual(g('tfserving', 'ready', '/monitoring/prometheus/metrics'), { requestsTotal: 43, requestsFailed: 3 });
  assert.deepEqual(g('tei', 'ready', '/metrics'), {
    requestsQueued: 0,
    requestsTotal: 15,
    requestsFailed: 1,
    promptTokensTotal: 930,
  });
});

test('prefers the newer vLLM KV-cache name and falls back to the older one', () => {
  const old = mapGauges(parsePrometheusText('vllm:gpu_cache_usage_perc{model_name="m"} 0.5\n').samples);
  assert.equal(old.kvCacheUsage, 0.5);
  const both = mapGauges(parsePrometheusText('vllm:gpu_cache_usage_perc 0.5\nvllm:kv_cache_usage_perc 0.25\n').samples);
  assert.equal(both.kvCacheUsage, 0.25);
});

/** The common gauges of a scrape recorded from a real server (test/fixtures/metrics). */
const scrape = (name: string) =>
  mapGauges(
    parsePrometheusText(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'metrics', name), 'utf8')).samples,
  );

test('MLServer 1.7.1 and KServe 0.21.0 (scrapes from the real servers, one inference each): requests under their own names', () => {
  // model_infer_request_success_total 1 + model_infer_request_failure_total 0.
  assert.deepEqual(scrape('mlserver-1.7.1.metrics.txt'), { requestsTotal: 1, requestsFailed: 0 });
  // request_predict_seconds_count 1 (KServe exports no failure counter).
  assert.deepEqual(scrape('kserve-0.21.0.metrics.txt'), { requestsTotal: 1 });
});

test('Infinity 0.0.78 (scrape from the real server): the FastAPI instrumentator POSTs as requests, 4xx/5xx as failed', () => {
  // POST /v1/embeddings: 4 × 2xx and 1 × 4xx (a 422); the probe's GETs (7 × 4xx under handler "none",
  // /v1/models, /v1/openapi.json) and /metrics are not inference requests.
  assert.deepEqual(scrape('infinity-0.0.78.metrics.txt'), { requestsTotal: 5, requestsFailed: 1 });
  assert.deepEqual(scrape('infinity-0.0.78-later.metrics.txt'), { requestsTotal: 9, requestsFailed: 2 });
  // vLLM 0.32 exports the same counter: its own names still win (its scrape has no failed POST).
  const vllm = scrape('vllm-0.32-cpu.metrics.txt');
  assert.equal(vllm.requestsFailed, undefined);
  assert.notEqual(vllm.requestsTotal, 196);
});
