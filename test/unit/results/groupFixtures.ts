/**
 * Result files of every group × profile, made the engine's way: seeded
 * synthetic records written through RecordsWriter and summarised by the real
 * profile accumulators, with steps labelled as the engine labels them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAccumulator } from '../../../src/core/bench/profiles/profiles';
import { EV_CHOICE, EV_DONE, EV_TEXT, EV_USAGE, type RawRecord } from '../../../src/core/bench/record';
import { RecordsWriter } from '../../../src/core/bench/recordsFile';
import type { BenchResult, StepResult } from '../../../src/core/bench/result';
import type { BenchGroup, BenchSpec, ProfileName } from '../../../src/core/bench/spec';
import { stepLabel } from '../../../src/core/bench/engine/stepPlan';
import { partialResult } from '../../../src/core/results/resultsStore';
import { seededUniform } from '../../../src/core/stats/random';

export const groups: BenchGroup[] = ['text-generation', 'embeddings', 'image-classification'];
export const profiles: ProfileName[] = ['vllm', 'genai-perf', 'guidellm', 'aiperf'];

export interface FixtureOptions {
  /** Multiplies every latency (a slower server). */
  slower?: number;
  seed?: number;
  requests?: number;
  outputTokens?: number;
  concurrency?: number[];
}

/** A finished run of `group` under `profile`: result and records in a fresh temp folder. */
export async function makeRun(
  group: BenchGroup,
  profile: ProfileName,
  o: FixtureOptions = {},
): Promise<{ result: BenchResult; recordsPath: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `il-${group}-${profile}-`));
  const recordsPath = path.join(dir, 'records.jsonl');
  const rand = seededUniform(o.seed ?? 7);
  const slower = o.slower ?? 1;
  const requests = o.requests ?? 40;
  const tokens = o.outputTokens ?? 16;
  const concurrency = o.concurrency ?? [1, 4];
  const batches = group === 'text-generation' ? [1] : [1, 8];
  const w = new RecordsWriter(recordsPath, {
    format: 'inference-lab/bench-records',
    version: 1,
    startedAt: '2026-12-01T00:00:00.000Z',
  });
  const steps: StepResult[] = [];
  let i = 0;
  let clock = 0;
  for (const batchSize of batches) {
    for (const c of concurrency) {
      const index = steps.length;
      const load = { mode: 'concurrency' as const, concurrency: c, batchSize };
      const label = stepLabel(load, group !== 'text-generation');
      const acc = createAccumulator(profile, { group, percentiles: [50, 90, 95, 99] });
      const start = clock;
      w.step({ index, label, start });
      let end = start;
      // c requests in flight: request k starts when request k − c ended.
      const ends: number[] = new Array(c).fill(start);
      for (let k = 0; k < requests; k++) {
        const slot = k % c;
        const t = ends[slot];
        const noise = 0.8 + 0.4 * rand();
        let r: RawRecord;
        if (group === 'text-generation') {
          const ttft = (20 + 5 * c) * noise * slower;
          const gap = (4 + c) * noise * slower;
          const ev: number[] = [];
          for (let j = 0; j < tokens; j++) ev.push(ttft + j * gap, EV_CHOICE | EV_TEXT);
          const e = ttft + (tokens - 1) * gap + 1;
          ev.push(e - 0.5, EV_USAGE, e, EV_DONE);
          r = {
            i,
            s: index,
            n: 1,
            q: t,
            t,
            h: 1,
            e,
            ev,
            st: 200,
            iu: 32,
            io: 32,
            ou: tokens,
            oo: tokens,
            bo: 300,
            bi: 900,
          };
        } else {
          const e = (8 + 2 * batchSize + 3 * c) * noise * slower;
          r = {
            i,
            s: index,
            n: batchSize,
            q: t,
            t,
            h: e - 0.2,
            e,
            st: 200,
            iu: group === 'embeddings' ? 12 * batchSize : undefined,
            io: group === 'embeddings' ? 12 * batchSize : undefined,
            bo: 200 * batchSize,
            bi: 100 * batchSize,
          };
        }
        i++;
        acc.add(r);
        w.write(r);
        ends[slot] = t + r.e;
        end = Math.max(end, t + r.e);
      }
      w.step({ index, label, start, end });
      steps.push({
        index,
        label,
        load,
        window: { startMs: start, endMs: end },
        requests: { sent: requests, warmup: 0 },
        selfCheck: { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, cpuPercent: 10 },
        clientBound: false,
        clientBoundReasons: [],
        incomplete: false,
        summary: acc.finish({ start, end }),
      });
      clock = end + 50;
    }
  }
  await w.close();
  const spec: BenchSpec = {
    url: 'http://127.0.0.1:9/',
    group,
    model: 'sim',
    profile,
    load: { concurrency },
    requests,
    ...(group === 'text-generation'
      ? { text: { outputTokens: { mean: tokens } } }
      : group === 'embeddings'
        ? { embeddings: { batchSizes: batches } }
        : { image: { batchSizes: batches, shape: [3, 8, 8] } }),
  } as BenchSpec;
  const meta = {
    id: `${group}-${profile}`,
    name: `${group} ${profile}`,
    group,
    createdAt: '2026-12-01T00:00:00.000Z',
    status: 'complete' as const,
    server: { url: spec.url, kind: 'vllm', model: 'sim' },
    spec,
  };
  const api =
    group === 'text-generation' ? 'openai-completions' : group === 'embeddings' ? 'openai-embeddings' : 'kserve-v2';
  const result = {
    ...partialResult(meta, recordsPath, steps, { kind: 'vllm', model: 'sim', api }),
    incomplete: false,
    incompleteReason: undefined,
  };
  return { result, recordsPath, dir };
}
