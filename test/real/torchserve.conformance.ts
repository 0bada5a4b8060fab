/**
 * TorchServe conformance: inference API (an image classifier through TorchServe's built-in image_classifier
 * handler, a text generator streaming one HTTP chunk per word), management API (models, versions, workers) and
 * metrics API (ts_* families). The same checks run against the real TorchServe and the embedded personality.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syntheticPng } from '../../src/core/bench/workload/imageWorkload';
import type { HttpWire } from '../../src/core/request/build/wire';
import { parsePrometheusText } from '../../src/core/metrics/prometheus';
import { benchRun, checkProbe, runCopies, sendTemplate, serversTree, treeLabels, type Target } from './conformance';
import { assertScraped, rawDelta, rawValues, serverSeries, type ScrapedRun } from './serverSeries';
import type { Outcome } from './vllm.conformance';

/** Each target's bench run with its server series (checked in serverMetrics). */
const benchMetrics = new Map<string, ScrapedRun>();

const MAX_NEW = 8;

function pngFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'il-ts-')), 'kitten.png');
  fs.writeFileSync(file, syntheticPng(64, 48, 7));
  return file;
}

const metricsUrl = (t: Target) => t.metricsUrl ?? `http://127.0.0.1:${Number(new URL(t.url).port) + 2}/metrics`;

async function predictImage(t: Target) {
  const file = pngFile();
  try {
    return await sendTemplate(t, 'torchserve-predict', (d) => ({ ...d, bodyMode: 'file', filePath: file }));
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

function streamText(t: Target) {
  return sendTemplate({ ...t, model: t.textModel! }, 'torchserve-predict', (d) => ({
    ...d,
    bodyMode: 'json',
    body: JSON.stringify({ prompt: 'the model server answers', max_new_tokens: MAX_NEW }),
  }));
}

export const torchserveChecks: Record<keyof Outcome, (t: Target, o: Outcome) => Promise<void>> = {
  async probe(t, o) {
    const p = await checkProbe(t);
    assert.ok(p.models.includes(t.textModel!), `probe listed ${JSON.stringify(p.models)}, not ${t.textModel}`);
    o.probe = `${p.kind} ${p.version}, models ${p.models.join(', ')}`;
  },

  async tree(t, o) {
    // One request first, so the request counter has a series.
    assert.equal((await predictImage(t)).result.ok, true);
    const node = await serversTree(t);
    const labels = treeLabels(node);
    for (const m of [t.model, t.textModel!])
      assert.ok(
        labels.model?.some((x) => x.startsWith(m) && /1\/1 workers ready|ready/.test(x)),
        `model ${m} in ${JSON.stringify(labels.model)}`,
      );
    const scraped = parsePrometheusText(await (await fetch(metricsUrl(t))).text());
    const total = scraped.samples
      .filter((s) => s.name === 'ts_inference_requests_total')
      .reduce((a, s) => a + s.value, 0);
    assert.ok(total >= 1, `ts_inference_requests_total ${total}`);
    const gauges = labels.gauge ?? [];
    assert.ok(
      gauges.includes(`Requests (total) = ${total}`),
      `tree ${JSON.stringify(gauges)} vs the sum of ts_inference_requests_total ${total}`,
    );
    o.tree = `models ${labels.model?.join('; ')}; gauges ${gauges.join('; ')}`;
  },

  async request(t, o) {
    const img = (await predictImage(t)).result;
    assert.equal(img.ok, true, `image: ${img.status} ${img.error?.message}`);
    const topk = img.views.find((v) => v.type === 'topk');
    assert.ok(topk && topk.type === 'topk', `image: no top-k view in ${img.views.map((v) => v.type).join(',')}`);
    assert.equal(topk.labels.length, 5, 'top-5 labels');
    const sum = topk.labels.reduce((a, l) => a + l.score, 0);
    assert.ok(sum > 0 && sum <= 1.0001, `top-5 probabilities sum ${sum}`);
    const txt = (await streamText(t)).result;
    assert.equal(txt.ok, true, `text: ${txt.status} ${txt.error?.message}`);
    const m = txt.stream;
    assert.ok(m && m.ttftMs !== undefined && m.ttftMs > 0, 'text: no TTFT');
    o.request = `image PNG -> top-5 ${topk.labels.map((l) => l.label).join(', ')}; text stream ttft ${m.ttftMs.toFixed(0)} ms, ${m.tokenCount} chunks`;
  },

  async copyAs(t, o) {
    const { wire } = await streamText(t);
    const { curl, python } = await runCopies(wire as HttpWire);
    assert.equal(curl.code, 0, `curl: ${curl.stderr}`);
    // The real text handler streams one word per step; the embedded generator's tokens are word pieces.
    const words = curl.stdout.trim().split(/\s+/).length;
    if (t.real) assert.equal(words, MAX_NEW, `curl printed ${curl.stdout.slice(0, 300)}`);
    else assert.ok(words >= 1 && words <= MAX_NEW, `curl printed ${curl.stdout.slice(0, 300)}`);
    assert.equal(python.code, 0, `python: ${python.stderr}`);
    assert.match(python.stdout, /^200 /, `python printed ${python.stdout.slice(0, 300)}`);
    const img = (await predictImage(t)).wire as HttpWire;
    const r = await runCopies(img);
    assert.equal(r.curl.code, 0, `curl image: ${r.curl.stderr}`);
    assert.equal(Object.keys(JSON.parse(r.curl.stdout) as object).length, 5, `curl image printed ${r.curl.stdout}`);
    assert.equal(r.python.code, 0, `python image: ${r.python.stderr}`);
    o.copyAs = 'curl + Python (requests): streamed text, PNG file body';
  },

  async bench(t, o) {
    const args = ['--group', 'image-classification', '--api', 'torchserve', '--batch-sizes', '1'];
    await benchRun(t, [...args, '--concurrency', '2', '--requests', '20'], 20, {
      url: metricsUrl(t),
      onSeries: (run) => benchMetrics.set(t.label, run),
    });
    o.bench = 'image-classification over /predictions (PNG bodies), batch 1, concurrency 2: 20/20 ok';
  },

  async tokens(t, o) {
    const { result } = await streamText(t);
    const gen = result.views.find((v) => v.type === 'generation' || v.type === 'text');
    const text = gen && 'text' in gen ? gen.text : '';
    assert.ok(text.trim().length > 0, `streamed text ${JSON.stringify(text)}`);
    assert.ok(result.stream && result.stream.tokenCount >= 1 && result.stream.tokenCount <= MAX_NEW);
    o.tokens = `n/a (no usage in TorchServe); ${result.stream.tokenCount} read(s) carried ${text.trim().split(/\s+/).length} words`;
  },

  /**
   * The bench run's series from the metrics API: 20 requests to the image model move ts_inference_requests_total
   * by 20 (the text model's by 0); queue and inference time per request come from the ts_*_microseconds counters.
   */
  async serverMetrics(t, o) {
    const b = benchMetrics.get(t.label);
    assert.ok(b, 'the bench check did not run');
    const { sm, raw } = b;
    assertScraped(sm, metricsUrl(t));
    const { series, integral } = serverSeries(sm);
    for (const [key, name] of Object.entries({
      requestsPerSec: 'ts_inference_requests_total',
      queueTimeMean: 'ts_queue_latency_microseconds',
      e2eMean: 'ts_inference_latency_microseconds',
    }))
      assert.equal(series(key).source, name, `${key} read from ${series(key).source}`);
    assert.equal(integral('requestsPerSec'), 20, 'requests counted by the server over the run');
    assert.equal(rawDelta(raw, 'ts_inference_requests_total', `model_name="${t.model}"`), 20);
    assert.equal(rawDelta(raw, 'ts_inference_requests_total', `model_name="${t.textModel}"`), 0);
    // Per interval: a queue time and an inference time in ms, the queue part of it, both well under a second here.
    const queue = series('queueTimeMean').values;
    const whole = series('e2eMean').values;
    const both = whole.flatMap((w, i) => (w !== null && queue[i] !== null ? [[queue[i]!, w]] : []));
    assert.ok(both.length >= 1, 'no interval with requests');
    for (const [q, w] of both) assert.ok(q >= 0 && q <= w && w > 0 && w < 1000, `queue ${q} ms of ${w} ms`);
    // The server's request rate over the run equals the client's.
    const rate = sm.crossChecks.find((c) => c.key === 'requestRate');
    assert.ok(rate?.ok && Math.abs(rate.server - rate.client) < 1e-6, JSON.stringify(rate));
    // The frontend's last-request gauges (ms), as they stood at each scrape: the raw text's own values.
    const lastRequest: string[] = [];
    for (const [key, name] of [
      ['queueTimeLast', 'QueueTime'],
      ['workerThreadTimeLast', 'WorkerThreadTime'],
    ]) {
      assert.equal(series(key).source, name, `${key} read from ${series(key).source}`);
      assert.deepEqual(series(key).values, rawValues(raw, name, 'Level="Host"'), key);
      // One value per reading (a last request may well have queued 0 ms).
      assert.ok(
        series(key).values.every((v) => v !== null && v >= 0),
        `${key} ${series(key).values.join(',')}`,
      );
      lastRequest.push(`${name} ${series(key).values.join('/')} ms`);
    }
    o.serverMetrics = `${sm.scrapes.ok} scrapes of ${sm.url}, ${sm.server.series.length} series (${sm.server.series.map((s) => s.source).join(', ')}); Δts_inference_requests_total ${t.model} 20, ${t.textModel} 0; inference ${both.map(([, w]) => w.toFixed(1)).join('/')} ms, queue ${both.map(([q]) => q.toFixed(2)).join('/')} ms; last request: ${lastRequest.join(', ')}`;
  },

  async capacity(_t, o) {
    o.capacity = 'n/a (the capacity search is checked on vLLM)';
  },

  async sharedPrefix(_t, o) {
    o.sharedPrefix = 'n/a (checked on vLLM)';
  },

  async multiTurn(_t, o) {
    o.multiTurn = 'n/a (checked on vLLM)';
  },

  async trace(_t, o) {
    o.trace = 'n/a (checked on vLLM)';
  },
};
