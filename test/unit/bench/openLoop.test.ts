import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RawRecord } from '../../../src/core/bench/record';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { exponentialCdf, ksTest } from '../../../src/core/stats/ks';
import { sleep, startServer, teiHandler, type FakeServer } from './fakeServers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-open-'));

async function records(file: string, step = 0): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const l of readRecordsFile(file))
    if (l.kind === 'record' && l.record.s === step && !l.record.w) out.push(l.record);
  return out;
}

function gapsSec(recs: RawRecord[]): number[] {
  const q = recs.map((r) => r.q).sort((a, b) => a - b);
  return q.slice(1).map((x, k) => (x - q[k]) / 1000);
}

describe('open loop', () => {
  let srv: FakeServer;
  before(async () => (srv = await startServer(teiHandler())));
  after(() => srv.close());

  it('schedules a Poisson process: inter-arrival times pass a KS test for the exponential', async () => {
    const file = path.join(dir, 'poisson.jsonl');
    const r = await runBenchmark(
      { url: srv.url, group: 'embeddings', api: 'tei', load: { rate: [200] }, requests: 800, seed: 3 },
      { recordsPath: file },
    );
    const recs = await records(file);
    assert.equal(recs.length, 800);
    const ks = ksTest(gapsSec(recs), exponentialCdf(200));
    assert.ok(ks.p > 0.01, `KS D=${ks.d.toFixed(4)} p=${ks.p.toExponential(2)}`);
    // A uniform schedule would be rejected by the same test: the test has teeth.
    const even = Array.from({ length: 799 }, () => 1 / 200);
    assert.ok(ksTest(even, exponentialCdf(200)).p < 1e-6);
    const o = r.steps[0].openLoop!;
    assert.ok(Math.abs(o.scheduledRate - 200) / 200 < 0.15, `scheduled ${o.scheduledRate}`);
    assert.ok(
      recs.every((x) => x.t >= x.q),
      'nothing is sent before its scheduled time',
    );
  });

  it('burstiness shapes the gaps like vLLM: gamma with CV 1/sqrt(burstiness)', async () => {
    const file = path.join(dir, 'gamma.jsonl');
    await runBenchmark(
      { url: srv.url, group: 'embeddings', api: 'tei', load: { rate: [300], burstiness: 4 }, requests: 900, seed: 5 },
      { recordsPath: file },
    );
    const g = gapsSec(await records(file));
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    const cv = Math.sqrt(g.reduce((a, b) => a + (b - m) ** 2, 0) / g.length) / m;
    assert.ok(Math.abs(cv - 0.5) < 0.1, `cv ${cv}`);
  });
});

describe('coordinated omission', () => {
  it('a 2 s server stall shows in open-loop response times, not only in the few requests it held', async () => {
    let seen = 0;
    let stallUntil = 0;
    const srv = await startServer(async (_req, res) => {
      seen++;
      // Request 40 (after the test request and warm-up) starts a 2 s stall for everything.
      if (seen === 40) stallUntil = performance.now() + 2000;
      const wait = stallUntil - performance.now();
      if (wait > 0) await sleep(wait);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[[0.5]]');
    });
    try {
      const file = path.join(dir, 'stall.jsonl');
      const r = await runBenchmark(
        {
          url: srv.url,
          group: 'embeddings',
          api: 'tei',
          load: { rate: [50], maxInFlight: 2 },
          durationSec: 4,
          seed: 1,
        },
        { recordsPath: file },
      );
      const recs = await records(file);
      const response = recs.map((x) => x.t - x.q + x.e);
      const service = recs.map((x) => x.e);
      const slowResponses = response.filter((v) => v > 1000).length;
      const slowService = service.filter((v) => v > 1000).length;
      assert.ok(Math.max(...response) > 1700, `max response time ${Math.max(...response)} ms`);
      assert.ok(slowResponses >= 25, `${slowResponses} responses over 1 s`);
      // Only the requests in flight when the stall began waited inside the server.
      assert.ok(slowService <= 2, `${slowService} service times over 1 s`);
      assert.ok(r.steps[0].openLoop!.capped);
    } finally {
      await srv.close();
    }
  });
});
