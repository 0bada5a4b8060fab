/**
 * What one scrape costs the engine's process, measured where the scraper runs
 * (bench:engine bundles this file like the CLI and runs it in its own plain
 * Node process): the run's own scraper reads the load server's endpoint back
 * to back — HTTP exchange on its undici pool, Prometheus parse, mapping to the
 * common gauges, raw series written to disk, point emitted — on the engine's
 * thread (ServerMetricsScraper) or in its worker thread (prepareScraper, as
 * runs do when dist/scrapeWorker.js is there). Per reading, in `batches`
 * batches of `n`:
 *  - the process's CPU time (user + system, every thread: the worker, V8's GC
 *    and the file writes included). Nothing else runs in the process, so all
 *    of it is the scraper's;
 *  - the time the main thread's event loop was busy (eventLoopUtilization):
 *    the time during which the engine's own timers and sockets would wait.
 * Arg: JSON {url (the endpoint), n, batches, raw (raw series file), worker?
 * (the bundled scrapeWorker.js: scrape in that thread)}.
 * Prints one JSON line: {cpuUs: [per batch], loopUs: [per batch], bytes, ok, series}.
 */
import { performance } from 'node:perf_hooks';
import { now } from '../../src/core/bench/engine/clock';
import { ServerMetricsScraper, type ScraperOptions } from '../../src/core/bench/serverMetrics/scraper';
import { prepareScraper } from '../../src/core/bench/serverMetrics/scrapeThread';

const args = JSON.parse(process.argv[2]) as { url: string; n: number; batches: number; raw: string; worker?: string };

async function main(): Promise<void> {
  let points = 0;
  const o: ScraperOptions = {
    settings: { enabled: true, url: args.url, intervalMs: 3_600_000 },
    serverUrl: args.url,
    rawPath: args.raw,
    emit: (p) => {
      if (p.type === 'server-metrics') points++;
    },
  };
  const scraper = args.worker ? await prepareScraper(o, args.worker) : await ServerMetricsScraper.prepare(o);
  if (args.worker && scraper instanceof ServerMetricsScraper) throw new Error('the scraper did not start its thread');
  await scraper.begin(now());
  // Warm-up: JIT and the pool's connection.
  for (let i = 0; i < 20; i++) await scraper.readNow();
  const cpuUs: number[] = [];
  const loopUs: number[] = [];
  for (let b = 0; b < args.batches; b++) {
    const c0 = process.cpuUsage();
    const e0 = performance.eventLoopUtilization();
    for (let i = 0; i < args.n; i++) await scraper.readNow();
    const e = performance.eventLoopUtilization(e0);
    const c = process.cpuUsage(c0);
    cpuUs.push((c.user + c.system) / args.n);
    loopUs.push((e.active * 1000) / args.n);
  }
  const out = await scraper.stop();
  if (out.scrapes.failed) throw new Error(`scrapes failed: ${out.scrapes.lastError}`);
  if (points !== out.scrapes.ok) throw new Error(`${points} points emitted for ${out.scrapes.ok} scrapes`);
  const bytes = (await (await fetch(args.url)).arrayBuffer()).byteLength;
  process.stdout.write(
    `${JSON.stringify({ cpuUs, loopUs, bytes, ok: out.scrapes.ok, series: out.server.series.length })}\n`,
  );
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
