/**
 * Entry of the server-metrics worker thread (bundled as dist/scrapeWorker.js):
 * the run's ServerMetricsScraper lives here, so reading the endpoints,
 * parsing the Prometheus text, mapping it to the common gauges and writing
 * the raw series all happen off the engine's event loop. The engine's thread
 * only receives the mapped points (scrapeThread.ts). Requests and answers go
 * through the port, each request with its id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../../util/logger';
import { ServerMetricsScraper } from './scraper';
import type { ThreadAnswer, ThreadData, ThreadRequest } from './scrapeThread';

const port = parentPort!;
const data = workerData as ThreadData;
const log = (level: 'debug' | 'info' | 'warn' | 'error') => (m: string | Error) =>
  port.postMessage({ type: 'log', level, message: m instanceof Error ? m.message : m } satisfies ThreadAnswer);
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
const monoOffset = () => Number(process.hrtime.bigint()) / 1e6 - performance.now();

const ready = ServerMetricsScraper.prepare({
  ...data,
  emit: (event) => port.postMessage({ type: 'event', event } satisfies ThreadAnswer),
  logger,
});

async function answer(m: ThreadRequest): Promise<unknown> {
  const scraper = await ready;
  if (m.type === 'begin') return scraper.begin(m.originMono - monoOffset());
  if (m.type === 'read') return scraper.readNow();
  if (m.type === 'pause') return scraper.setPaused(m.paused);
  const series = await scraper.stop();
  const { firstIndex, firstTime, lastIndex, lastTime } = scraper;
  return { series, firstIndex, firstTime, lastIndex, lastTime };
}

ready.then(
  () => port.postMessage({ type: 'ready' } satisfies ThreadAnswer),
  (e: Error) => port.postMessage({ type: 'failed', message: e.message } satisfies ThreadAnswer),
);
port.on('message', (m: ThreadRequest) => {
  answer(m).then(
    (value) => port.postMessage({ type: 'done', id: m.id, value } satisfies ThreadAnswer),
    (e: Error) => port.postMessage({ type: 'done', id: m.id, error: e.message } satisfies ThreadAnswer),
  );
});
