/**
 * Accuracy against the embedded server (jitter off): the engine's TTFT, TPOT
 * and E2E must be within 2 ms of the configured latency model at concurrency
 * 1, 16 and 64. The server runs in its own process (`inference-lab serve`),
 * so its timers do not share our event loop.
 *
 * What is compared: the model's clock starts when the server has parsed the
 * request and answers with its headers (the vLLM personality writes them just
 * before the generation starts); the time before that — HTTP parsing,
 * validation, tokenizing — is real server work the latency model does not
 * describe. So each request's TTFT and E2E are taken from the arrival of the
 * response headers, a server-side mark seen by the engine, and compared with
 * the model's prediction for that request's prompt and output lengths; TPOT
 * needs no anchor. Medians over requests: one GC pause on this shared 2-core
 * machine should not decide the verdict. Under heavy load the server's timers
 * fire late and the test can fail for that reason alone.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { eventTimes } from '../../../src/core/bench/profiles/timeline';
import { EV_CHOICE, isSuccess, type RawRecord } from '../../../src/core/bench/record';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { median, sortedCopy } from '../../../src/core/stats/percentile';
import { startEmbeddedProcess } from './embeddedProcess';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-accuracy-'));
const latency = {
  jitter: 0,
  prefillBaseMs: 30,
  prefillPerTokenMs: 0.05,
  decodePerTokenMs: 15,
  batchSlowdown: 0,
  maxBatch: 128,
};
// Output lengths vary so that requests finish, and so arrive, spread out: with
// identical requests a closed loop sends in synchronized waves of N, and the
// server's own HTTP handling of a 64-request wave (not part of its latency
// model) would be measured as TTFT.
const OUTPUT = { mean: 12, std: 4, min: 4, max: 24 };

async function startEmbedded(): Promise<{ proc: ChildProcess; vllm: string }> {
  const { proc, endpoints } = await startEmbeddedProcess(dir, {
    portBase: 0,
    models: [
      { name: 'tiny-llm', kind: 'text-generation', latency },
      { name: 'mini-embed', kind: 'embedding' },
      { name: 'resnet50', kind: 'image-classification' },
    ],
  });
  return { proc, vllm: endpoints.vllm };
}

function near(actual: number, expected: number, what: string, context: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 2,
    `${what}: measured ${actual.toFixed(2)} ms, model says ${expected.toFixed(2)} ms (tolerance 2 ms)${context}`,
  );
}

describe('accuracy against the embedded server (jitter off)', () => {
  let server: { proc: ChildProcess; vllm: string };
  before(async () => (server = await startEmbedded()));
  after(() => {
    server?.proc.kill('SIGTERM');
  });

  for (const concurrency of [1, 16, 64]) {
    it(`TTFT, TPOT and E2E within 2 ms of the model at concurrency ${concurrency}`, async () => {
      const file = path.join(dir, `c${concurrency}.jsonl`);
      const r = await runBenchmark(
        {
          url: server.vllm,
          group: 'text-generation',
          api: 'openai-completions',
          load: { concurrency: [concurrency] },
          requests: Math.max(4 * concurrency, 40),
          warmup: Math.max(2 * concurrency, 8),
          text: { inputTokens: { mean: 40 }, outputTokens: OUTPUT },
        },
        { recordsPath: file },
      );
      const recs: RawRecord[] = [];
      for await (const l of readRecordsFile(file)) if (l.kind === 'record' && !l.record.w) recs.push(l.record);
      assert.ok(recs.every(isSuccess), 'every request succeeded');
      // Per request, the model's own prediction: prefill from the prompt tokens the server counted.
      const ttftErr: number[] = [];
      const e2eErr: number[] = [];
      for (const x of recs) {
        const choices = eventTimes(x, EV_CHOICE);
        assert.ok(choices.length >= x.ou!, 'one chunk per token');
        const ttftModel = latency.prefillBaseMs + latency.prefillPerTokenMs * x.iu!;
        ttftErr.push(choices[0] - x.h! - ttftModel);
        e2eErr.push(choices[choices.length - 1] - x.h! - (ttftModel + (x.ou! - 1) * latency.decodePerTokenMs));
      }
      const s = r.steps[0].summary;
      // When it fails, say what the machine was doing: a starved server process fires its timers late.
      const context = `; machine load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs${r.steps[0].clientBound ? `; engine self-check: ${r.steps[0].clientBoundReasons.join(', ')}` : ''}`;
      near(s.metrics.tpot.median, latency.decodePerTokenMs, 'TPOT median', context);
      near(s.metrics.tpot.mean, latency.decodePerTokenMs, 'TPOT mean', context);
      near(
        median(sortedCopy(ttftErr)),
        0,
        'TTFT from the response headers (per request, against the model for its prompt), median error',
        context,
      );
      near(
        median(sortedCopy(e2eErr)),
        0,
        'E2E from the response headers (per request, against the model for its prompt and output), median error',
        context,
      );
    });
  }
});
