/**
 * The server-metrics vocabulary on scrapes recorded from real servers: TorchServe 0.12's status-class counters
 * (test/fixtures/metrics/torchserve-0.12-errors.metrics.txt: the requests are listed in
 * test/unit/embedded/tensor/torchserveMetrics.test.ts) and last-request gauges (with the /metrics exchange of
 * test/fixtures/exchanges/torchserve/real-0.12.json), and Infinity 0.0.78's FastAPI instrumentator
 * (test/fixtures/metrics/infinity-0.0.78*.metrics.txt, two scrapes of one run).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { indexSamples, SeriesBuilder } from '../../../src/core/bench/serverMetrics/derive';
import type { SeriesSet } from '../../../src/core/bench/serverMetrics/types';
import { serverRules } from '../../../src/core/bench/serverMetrics/vocabulary';
import { parsePrometheusText } from '../../../src/core/metrics/prometheus';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'metrics', name), 'utf8');

function series(...scrapes: Array<[number, string]>): SeriesSet {
  const b = new SeriesBuilder(serverRules);
  for (const [t, text] of scrapes) b.add(t, indexSamples(parsePrometheusText(text).samples));
  return b.finish();
}

const last = (set: SeriesSet, key: string) => {
  const s = set.series.find((x) => x.key === key);
  assert.ok(s, `${key} missing; have ${set.series.map((x) => x.key).join(', ')}`);
  return { source: s.source, label: s.label, value: s.values[s.values.length - 1] };
};

it('TorchServe 0.12: Requests5XX as failures and Requests4XX as refusals, per second', () => {
  const text = fixture('torchserve-0.12-errors.metrics.txt');
  // From a fresh server (no samples yet) to the recording 2 s later: one 503, two 404s, two predictions.
  const set = series([0, ''], [2000, text]);
  assert.deepEqual(last(set, 'failuresPerSec'), {
    source: 'Requests5XX',
    label: 'Requests failed, 5XX (server)',
    value: 0.5,
  });
  assert.deepEqual(last(set, 'clientErrorsPerSec'), {
    source: 'Requests4XX',
    label: 'Requests refused, 4XX (server)',
    value: 1,
  });
  assert.equal(last(set, 'requestsPerSec').value, 1);
});

it("TorchServe 0.12: the last request's QueueTime and WorkerThreadTime (ms gauges) as read at each scrape", () => {
  // Two scrapes of the real TorchServe 0.12.0: the errors recording (QueueTime 0.0, WorkerThreadTime 31.0), then
  // the /metrics exchange of test/fixtures/exchanges/torchserve/real-0.12.json (3.0 and 35.0), 1 s apart.
  const recorded = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'exchanges', 'torchserve', 'real-0.12.json'), 'utf8'),
  ) as { exchanges: Array<{ port?: string; request: { path: string }; response: { body: string } }> };
  const text = recorded.exchanges.find((e) => e.port === 'metrics' && e.request.path === '/metrics')!.response.body;
  assert.match(text, /^QueueTime\{Level="Host",Hostname="vm",\} 3\.0$/m);
  assert.match(text, /^WorkerThreadTime\{Level="Host",Hostname="vm",\} 35\.0$/m);
  const set = series([0, fixture('torchserve-0.12-errors.metrics.txt')], [1000, text]);
  const values = (key: string) => {
    const s = set.series.find((x) => x.key === key);
    assert.ok(s, `${key} missing; have ${set.series.map((x) => x.key).join(', ')}`);
    return { source: s.source, label: s.label, unit: s.unit, values: s.values };
  };
  // Gauges: each scrape's value as it stands (no Δ, so the first scrape has one too).
  assert.deepEqual(values('queueTimeLast'), {
    source: 'QueueTime',
    label: 'Queue time, last request (TorchServe)',
    unit: 'ms',
    values: [0, 3],
  });
  assert.deepEqual(values('workerThreadTimeLast'), {
    source: 'WorkerThreadTime',
    label: 'Worker-thread time, last request (TorchServe)',
    unit: 'ms',
    values: [31, 35],
  });
  // The interval's mean queue time stays the ts_queue_latency_microseconds counter's (Δµs / Δrequests).
  assert.equal(values('queueTimeMean').source, 'ts_queue_latency_microseconds');
});

it('Infinity 0.0.78: POST answers by status class and the POST latency histogram', () => {
  // Between the scrapes: 3 embeddings (2xx) and one 422; the later scrape was taken 10 s after the first here.
  const set = series(
    [0, fixture('infinity-0.0.78.metrics.txt')],
    [10_000, fixture('infinity-0.0.78-later.metrics.txt')],
  );
  assert.deepEqual(last(set, 'requestsPerSec'), {
    source: 'http_requests_total',
    label: 'Requests completed (server)',
    value: 0.3,
  });
  assert.equal(last(set, 'clientErrorsPerSec').value, 0.1);
  // No 5xx yet: the instrumentator creates a status class's series only when it first answers one.
  assert.deepEqual(last(set, 'failuresPerSec'), {
    source: 'http_requests_total',
    label: 'Requests failed, 5xx (server)',
    value: null,
  });
  // Δsum / Δcount of the POST series: (4.206907825995586 − 2.5808181739957945) s / (9 − 5).
  const e2e = last(set, 'e2eMean');
  assert.equal(e2e.source, 'http_request_duration_seconds');
  assert.ok(Math.abs(e2e.value! - ((4.206907825995586 - 2.5808181739957945) / 4) * 1000) < 1e-9, String(e2e.value));
});
