/**
 * The embedded TorchServe's metrics port against what real TorchServe 0.12 exported (metrics_mode=prometheus,
 * test/real/servers/torchserve.sh): the same families with the same types and label names, and, after the same
 * requests, the same Requests2XX/4XX/5XX and ts_* counts. torchserve-0.12-errors.metrics.txt was read from a
 * freshly started real server after: GET /models/image and /models/text on the management port (its readiness
 * check), POST /predictions/text "hello world" (200), POST /predictions/image with non-image bytes (503
 * "Prediction failed"), POST /predictions/nope (404 ModelNotFoundException), GET /no-such-path (404). The
 * Servers tree's gauges read the errors from it, on the scrape and on the embedded server alike.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { mapGauges } from '../../../../src/core/metrics/gauges';
import { parsePrometheusText, type Sample } from '../../../../src/core/metrics/prometheus';
import { loadRecording } from '../../servers/replayServer';
import { rawRequest, tensorServer } from './helpers';

const server = tensorServer(['torchserve']);
let ep: Record<string, string> = {};
before(async () => void (ep = await server.start()));
after(() => server.stop());

function recordedMetrics(name: string): string {
  if (name.endsWith('.txt'))
    return fs.readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'metrics', name), 'utf8');
  const x = loadRecording('torchserve', name).exchanges.find((e) => e.request.path === '/metrics');
  assert.ok(x?.response.body, `${name} has a /metrics exchange`);
  return x.response.body;
}

/** Family → its TYPE, and the label names its samples carry. */
function shape(text: string): Record<string, { type: string; labels: string[] }> {
  const out: Record<string, { type: string; labels: string[] }> = {};
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out[m[1]] = { type: m[2], labels: [] };
  for (const s of parsePrometheusText(text).samples)
    out[s.name].labels = [...new Set([...out[s.name].labels, ...Object.keys(s.labels)])];
  return out;
}

const value = (samples: Sample[], name: string, where: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);

it('exports the families of real TorchServe 0.12, with their types and label names', async () => {
  // Every request kind, so that each family the embedded server fills has a sample.
  await rawRequest(`${ep.torchserve}/predictions/resnet50`, { method: 'POST', body: Buffer.from('not an image') });
  await rawRequest(`${ep.torchserve}/predictions/mini-embed`, { method: 'POST', body: 'a sentence' });
  await rawRequest(`${ep.torchserve}/predictions/tiny-llm`, { method: 'POST', body: 'hello world' });
  await rawRequest(`${ep.torchserve}/predictions/nope`, { method: 'POST', body: 'x' });
  const embedded = shape((await rawRequest(`${ep.torchserveMetrics}/metrics`)).body.toString());
  // Both recordings: the first has a successful image prediction, the second the 4XX and 5XX answers.
  const real = shape(`${recordedMetrics('real-0.12')}${recordedMetrics('torchserve-0.12-errors.metrics.txt')}`);
  assert.deepEqual(Object.keys(embedded).sort(), Object.keys(real).sort());
  for (const [name, r] of Object.entries(real)) {
    assert.equal(embedded[name].type, r.type, name);
    // WorkerLoadTime: the embedded server loads no workers, so it has no sample (and no label names).
    if (name !== 'WorkerLoadTime') assert.deepEqual(embedded[name].labels.sort(), r.labels.sort(), name);
  }
});

it('counts answers by status class and predictions per model as the recording of the same requests', async () => {
  const s = tensorServer(['torchserve']);
  const e = await s.start();
  try {
    // The recording's order (its readiness check read both models on the management port first).
    for (const m of ['resnet50', 'tiny-llm']) await rawRequest(`${e.torchserveManagement}/models/${m}`);
    const statuses = [
      (await rawRequest(`${e.torchserve}/predictions/tiny-llm`, { method: 'POST', body: 'hello world' })).status,
      (await rawRequest(`${e.torchserve}/predictions/resnet50`, { method: 'POST', body: Buffer.from('not an image') }))
        .status,
      (await rawRequest(`${e.torchserve}/predictions/nope`, { method: 'POST', body: 'x' })).status,
      (await rawRequest(`${e.torchserve}/no-such-path`)).status,
    ];
    // The real server's answers to the same requests.
    assert.deepEqual(statuses, [200, 503, 404, 404]);
    const real = parsePrometheusText(recordedMetrics('torchserve-0.12-errors.metrics.txt')).samples;
    const mine = parsePrometheusText((await rawRequest(`${e.torchserveMetrics}/metrics`)).body.toString()).samples;
    const counts = (x: Sample[], text: string, image: string) => ({
      '2XX': value(x, 'Requests2XX', { Level: 'Host' }),
      '4XX': value(x, 'Requests4XX', { Level: 'Host' }),
      '5XX': value(x, 'Requests5XX', { Level: 'Host' }),
      text: value(x, 'ts_inference_requests_total', { model_name: text, model_version: 'default' }),
      // The failed prediction counts as a request, with no latency.
      image: value(x, 'ts_inference_requests_total', { model_name: image, model_version: 'default' }),
      imageLatency: x.filter((v) => v.name === 'ts_inference_latency_microseconds' && v.labels.model_name === image)
        .length,
      textPrediction: x.filter((v) => v.name === 'PredictionTime' && v.labels.ModelName === text).length,
    });
    assert.deepEqual(counts(real, 'text', 'image'), {
      '2XX': 3,
      '4XX': 2,
      '5XX': 1,
      text: 1,
      image: 1,
      imageLatency: 0,
      textPrediction: 1,
    });
    assert.deepEqual(counts(mine, 'tiny-llm', 'resnet50'), counts(real, 'text', 'image'));
    // The Servers tree: requests from ts_inference_requests_total, failures from Requests5XX.
    assert.deepEqual(mapGauges(real), { requestsTotal: 2, requestsFailed: 1 });
    assert.deepEqual(mapGauges(mine), { requestsTotal: 2, requestsFailed: 1 });
  } finally {
    await s.stop();
  }
});
