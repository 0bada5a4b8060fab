/**
 * The run's scraper in its own worker thread (src/core/bench/serverMetrics/scrapeThread.ts): the series, emitted
 * points and cross-check indexes equal those of the same scraper on the engine's thread reading the same text, and
 * its times are on the run's clock (the worker's own performance.now() has another origin). The worker is bundled
 * with esbuild as dist/scrapeWorker.js is (from source, runs keep the scraper on the engine's thread). Served: a
 * real vLLM 0.32 scrape (test/fixtures/metrics/vllm-0.32-cpu.metrics.txt).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { now } from '../../../src/core/bench/engine/clock';
import { prepareScraper, scrapeWorkerEntry } from '../../../src/core/bench/serverMetrics/scrapeThread';
import { ServerMetricsScraper, type ScraperOptions } from '../../../src/core/bench/serverMetrics/scraper';
import type { ServerMetricsInfo, ServerMetricsPoint } from '../../../src/core/bench/serverMetrics/types';

const text = fs.readFileSync(path.join(__dirname, '../../fixtures/metrics/vllm-0.32-cpu.metrics.txt'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scrape-thread-'));
let server: http.Server;
let url = '';
let entry = '';

before(async () => {
  entry = path.join(dir, 'scrapeWorker.js');
  await esbuild.build({
    entryPoints: [path.resolve(__dirname, '../../../src/core/bench/serverMetrics/scrapeWorker.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // As esbuild.mjs builds dist/scrapeWorker.js.
    external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
    logLevel: 'error',
  });
  server = http.createServer((_req, res) => res.end(text));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});
after(() => {
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** begin (the run started 5 s ago), two readings now, stop: what a run does, with 4 readings in all. */
async function scrapeFour(worker: boolean) {
  const events: Array<ServerMetricsPoint | ServerMetricsInfo> = [];
  const o: ScraperOptions = {
    settings: { enabled: true, url, intervalMs: 3_600_000 },
    serverUrl: url,
    rawPath: path.join(dir, `${worker ? 'worker' : 'engine'}.raw.jsonl`),
    emit: (e) => events.push(e),
  };
  const scraper = worker ? await prepareScraper(o, entry) : await ServerMetricsScraper.prepare(o);
  const origin = now() - 5000;
  const t0 = now();
  await scraper.begin(origin);
  await scraper.readNow();
  await scraper.readNow();
  const series = await scraper.stop();
  const t1 = now();
  return { scraper, series, events, window: [t0 - origin, t1 - origin] };
}

describe('server metrics scraped in a worker thread', () => {
  it('the worker script is found next to the bundle; from source or with test doubles the scraper stays on the engine thread', async () => {
    assert.equal(scrapeWorkerEntry(dir), entry);
    assert.equal(scrapeWorkerEntry(), undefined);
    const o = { settings: { enabled: true, url, intervalMs: 1000 }, serverUrl: url };
    assert.ok((await prepareScraper(o)) instanceof ServerMetricsScraper);
    assert.ok(
      (await prepareScraper({ ...o, docker: () => Promise.resolve(undefined) }, entry)) instanceof ServerMetricsScraper,
    );
    const threaded = await prepareScraper(o, entry);
    assert.ok(!(threaded instanceof ServerMetricsScraper));
    await threaded.begin(now());
    await threaded.stop();
  });

  it('series, points and cross-check indexes equal the engine-thread scraper; times are on the run clock', async () => {
    const w = await scrapeFour(true);
    const e = await scrapeFour(false);
    for (const r of [w, e]) {
      assert.equal(r.series.scrapes.ok, 4);
      assert.equal(r.series.server.t.length, 4);
      // Each reading stamped inside the window it was taken in, on the run's clock (5 s after the origin and on).
      for (const t of r.series.server.t) assert.ok(t >= r.window[0] - 1 && t <= r.window[1] + 1, `${t} ∉ ${r.window}`);
      assert.ok(r.window[0] >= 5000);
    }
    const strip = (x: typeof w.series) => ({ ...x, server: { ...x.server, t: [] }, rawPath: undefined });
    assert.deepEqual(strip(w.series), strip(e.series));
    assert.ok(w.series.server.series.length >= 20, String(w.series.server.series.length));
    const values = (r: typeof w) =>
      r.events.map((p) => (p.type === 'server-metrics' ? p.values.map((v) => [v.key, v.entity, v.value]) : p));
    assert.deepEqual(values(w), values(e));
    const pointTimes = w.events.flatMap((p) => (p.type === 'server-metrics' ? [p.tMs] : []));
    assert.deepEqual(pointTimes, w.series.server.t);
    // The cross-checks' first and last readings cross back: the same samples, at the first and last reading's time.
    assert.ok(w.scraper.firstIndex instanceof Map && w.scraper.lastIndex instanceof Map);
    assert.deepEqual([...w.scraper.firstIndex.keys()], [...e.scraper.firstIndex!.keys()]);
    assert.deepEqual(
      w.scraper.firstIndex.get('vllm:num_requests_running'),
      e.scraper.firstIndex!.get('vllm:num_requests_running'),
    );
    assert.equal(w.scraper.firstTime, w.series.server.t[0]);
    assert.equal(w.scraper.lastTime, w.series.server.t[3]);
    // The raw series file is written by the worker, whole.
    assert.equal(
      fs.readFileSync(path.join(dir, 'worker.raw.jsonl'), 'utf8').split('\n').filter(Boolean).length,
      fs.readFileSync(path.join(dir, 'engine.raw.jsonl'), 'utf8').split('\n').filter(Boolean).length,
    );
  });

  it("paused, the scheduled ticks read nothing; resumed, they read again (bench:engine's on/off windows), both threads", async () => {
    for (const worker of [true, false]) {
      const times: number[] = [];
      const o: ScraperOptions = {
        settings: { enabled: true, url, intervalMs: 40 },
        serverUrl: url,
        emit: (e) => {
          if (e.type === 'server-metrics') times.push(now());
        },
      };
      const scraper = worker ? await prepareScraper(o, entry) : await ServerMetricsScraper.prepare(o);
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      await scraper.begin(now());
      await sleep(400);
      await scraper.setPaused(true);
      const pausedAt = now();
      await sleep(400);
      const resumedAt = now();
      await scraper.setPaused(false);
      await sleep(400);
      const stoppedAt = now();
      const out = await scraper.stop();
      const during = (a: number, b: number) => times.filter((t) => t >= a && t < b).length;
      const on1 = during(0, pausedAt);
      // A reading already under way when the pause came may still land just after it; none after that.
      const off = during(pausedAt + 20, resumedAt);
      const on2 = during(resumedAt, stoppedAt);
      assert.equal(off, 0, `${worker ? 'worker' : 'engine'} thread: ${off} readings while paused`);
      // 10 ticks due in each 400 ms; a loaded machine may skip some, never most.
      assert.ok(on1 >= 4 && on2 >= 4, `${worker ? 'worker' : 'engine'} thread: ${on1} and ${on2} readings while on`);
      // begin's reading, the ticks and stop's last reading: every reading is a point.
      assert.equal(out.scrapes.ok, times.length);
    }
  });
});
