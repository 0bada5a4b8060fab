/**
 * The server-metrics vocabulary on scrapes recorded from real servers: TorchServe 0.12's status-class counters
 * (test/fixtures/metrics/torchserve-0.12-errors.metrics.txt: the requests are listed in
 * test/unit/embedded/tensor/torchserveMetrics.test.ts) and Infinity 0.0.78's FastAPI instrumentator
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
