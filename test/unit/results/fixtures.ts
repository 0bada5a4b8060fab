import { createAccumulator } from '../../../src/core/bench/profiles/profiles';
import { EV_CHOICE, EV_DONE, EV_TEXT, EV_USAGE, type RawRecord } from '../../../src/core/bench/record';
import { RecordsWriter } from '../../../src/core/bench/recordsFile';
import type { BenchResult, StepResult } from '../../../src/core/bench/result';
import type { BenchSpec } from '../../../src/core/bench/spec';
import { partialResult, type RunMeta } from '../../../src/core/results/resultsStore';

export const spec: BenchSpec = {
  url: 'http://127.0.0.1:9/',
  group: 'text-generation',
  model: 'sim',
  load: { concurrency: [1, 4] },
  requests: 20,
};

/**
 * A text-generation request sent at `t` with TTFT `ttft` and `tokens` tokens
 * `gap` ms apart: the engine's record shape, hand-made.
 */
export function textRecord(i: number, s: number, t: number, ttft: number, gap: number, tokens: number): RawRecord {
  const ev: number[] = [];
  for (let k = 0; k < tokens; k++) ev.push(ttft + k * gap, EV_CHOICE | EV_TEXT);
  const e = ttft + (tokens - 1) * gap + 1;
  ev.push(e - 0.5, EV_USAGE, e, EV_DONE);
  return { i, s, n: 1, q: t, t, h: 1, e, ev, st: 200, iu: 10, io: 10, ou: tokens, oo: tokens, bo: 100, bi: 500 };
}

/** Two steps of synthetic records written through the engine's writer, and their real summaries. */
export async function writeRun(
  recordsPath: string,
  opts: { failInStep2?: number; truncate?: boolean } = {},
): Promise<StepResult[]> {
  const w = new RecordsWriter(recordsPath, {
    format: 'inference-lab/bench-records',
    version: 1,
    startedAt: '2026-11-21T00:00:00.000Z',
  });
  const steps: StepResult[] = [];
  let i = 0;
  for (const [s, ttft, gap] of [
    [0, 20, 5],
    [1, 40, 8],
  ] as const) {
    const acc = createAccumulator('vllm', { group: 'text-generation', percentiles: [50, 90, 95, 99] });
    const start = s * 10_000;
    w.step({ index: s, label: `concurrency ${s === 0 ? 1 : 4}`, start });
    let end = start;
    for (let k = 0; k < 20; k++) {
      const r = textRecord(i++, s, start + k * 100, ttft + k, gap, 10);
      if (s === 1 && opts.failInStep2 !== undefined && k < opts.failInStep2) {
        delete r.ev;
        r.st = 500;
        r.ek = 'http';
        r.er = 'HTTP 500';
      }
      acc.add(r);
      w.write(r);
      end = Math.max(end, r.t + r.e);
    }
    w.step({ index: s, label: `concurrency ${s === 0 ? 1 : 4}`, start, end });
    steps.push({
      index: s,
      label: `concurrency ${s === 0 ? 1 : 4}`,
      load: { mode: 'concurrency', concurrency: s === 0 ? 1 : 4, batchSize: 1 },
      window: { startMs: start, endMs: end },
      requests: { sent: 20, warmup: 0 },
      selfCheck: { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, cpuPercent: 10 },
      clientBound: false,
      clientBoundReasons: [],
      incomplete: false,
      summary: acc.finish({ start, end }),
    });
  }
  await w.close();
  return steps;
}

export function finalResult(run: RunMeta, recordsPath: string, steps: StepResult[]): BenchResult {
  return {
    ...partialResult(run, recordsPath, steps, { kind: 'vllm', model: 'sim', api: 'openai-completions' }),
    incomplete: false,
    incompleteReason: undefined,
  };
}
