/**
 * Multi-turn replay from a dataset (sessions.fromDataset): the human turns of
 * one ShareGPT conversation are the successive user turns of one session, the
 * history growing with the server's own answers, each answer as long as the
 * recorded reply. A recording proxy in front of the embedded vLLM keeps every
 * request body, which is compared message by message with the dataset.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { specFromFlags } from '../../../src/cli/bench';
import type { RawRecord } from '../../../src/core/bench/record';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { resultToJson } from '../../../src/core/bench/result';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { BenchSpecError, normalizeSpec } from '../../../src/core/bench/specNormalize';
import { countTokens } from '../../../src/core/bench/workload/tokens';
import { withServer } from '../embedded/helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replay-'));
const specError = (re: RegExp) => (e: unknown) => e instanceof BenchSpecError && re.test(e.message);
const words = (n: number, w: string) => Array.from({ length: n }, () => w).join(' ');

// Two conversations of three human turns (one opens with a system message, left out), one of two turns (skipped).
const A = [
  ['what is a kv cache', words(3, 'cache')],
  ['and why does it grow', words(5, 'grows')],
  ['how do I size it', words(7, 'size')],
];
const C = [
  ['name a prime number', words(4, 'seven')],
  ['a larger one please', words(6, 'eleven')],
  ['now the sum of both', words(2, 'eighteen')],
];
const shareGpt = (turns: string[][], system?: string) => ({
  conversations: [
    ...(system ? [{ from: 'system', value: system }] : []),
    ...turns.flatMap(([h, g]) => [
      { from: 'human', value: h },
      { from: 'gpt', value: g },
    ]),
  ],
});

/** A proxy that forwards to `target` and keeps each chat request's body. */
async function recordingProxy(target: string) {
  const bodies: Array<{ messages: Array<{ role: string; content: string }>; max_tokens: number }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith('/v1/chat/completions')) bodies.push(JSON.parse(body.toString('utf8')));
      const up = http.request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

describe('multi-turn replay from a dataset', () => {
  it('validates fromDataset with clear errors; the CLI flag', () => {
    const base = { url: 'http://127.0.0.1:1', group: 'text-generation' as const };
    assert.throws(
      () => normalizeSpec({ ...base, load: { sessions: { users: 2, fromDataset: true } } }),
      specError(/sessions: fromDataset replays a dataset's conversations: give text.dataset/),
    );
    assert.throws(
      () =>
        normalizeSpec({
          ...base,
          load: { sessions: { users: 2, fromDataset: true } },
          text: { dataset: 'x.jsonl', promptField: 'q' },
        }),
      specError(/fromDataset reads whole conversations, not a prompt column/),
    );
    assert.deepEqual(
      normalizeSpec({ ...base, load: { sessions: { users: 2, fromDataset: true } }, text: { dataset: 'x.json' } }).load
        .sessions,
      { users: 2, turns: 4, thinkTimeSec: 0, conversations: 2, fromDataset: true },
    );
    assert.deepEqual(
      specFromFlags({ ...base, sessions: '2', turns: '3', 'from-dataset': true, dataset: 'x.json' }).load.sessions,
      { users: 2, turns: 3, fromDataset: true },
    );
    assert.throws(() => specFromFlags({ ...base, 'from-dataset': true }), /go with --sessions USERS/);
  });

  it('replays each conversation’s human turns in order, the history holding the server’s answers, each answer as long as the recorded reply', async () => {
    const file = path.join(dir, 'chats.json');
    fs.writeFileSync(file, JSON.stringify([shareGpt(A), shareGpt(A.slice(0, 2)), shareGpt(C, 'be brief')]));
    const recordsPath = path.join(dir, 'replay.records.jsonl');
    const r = await withServer(['vllm'], {}, async (ep) => {
      const proxy = await recordingProxy(ep.vllm);
      try {
        const result = await runBenchmark(
          {
            url: proxy.url,
            group: 'text-generation',
            model: 'tiny-llm',
            load: { sessions: { users: 2, turns: 3, conversations: 4, fromDataset: true } },
            text: { dataset: file },
          },
          { recordsPath },
        );
        return { result, bodies: proxy.bodies };
      } finally {
        proxy.server.close();
      }
    });
    const { result, bodies } = r;
    assert.deepEqual(resultProblems(JSON.parse(resultToJson(result))), []);
    assert.deepEqual(
      result.workload?.dataset && [result.workload.dataset.prompts, result.workload.dataset.skipped],
      [2, 1],
    );
    assert.deepEqual(result.workload?.dataset?.skipReasons, [
      'a conversation with fewer than 3 human turns each followed by its reply',
    ]);
    const s = result.steps[0].sessions!;
    assert.deepEqual([s.conversations, s.completed, s.fromDataset], [4, 4, true]);
    // First the run's test request (the first prompt, alone), then the sessions' 4 conversations × 3 turns.
    const turnsOf = (b: (typeof bodies)[number]) => b.messages.filter((m) => m.role === 'user').map((m) => m.content);
    assert.deepEqual(bodies[0].messages, [{ role: 'user', content: A[0][0] }]);
    const sessionBodies = bodies.slice(1);
    assert.equal(sessionBodies.length, 12);
    for (const conv of [A, C]) {
      const mine = sessionBodies.filter((b) => turnsOf(b)[0] === conv[0][0]);
      // Two conversations replay each dataset conversation (4 sessions over 2 usable entries), 3 turns each.
      assert.deepEqual(mine.map((b) => turnsOf(b).length).sort(), [1, 1, 2, 2, 3, 3]);
      for (const b of mine) {
        const k = turnsOf(b).length;
        // The user turns are the dataset's human turns 1..k in order; no system message; answers between them.
        assert.deepEqual(
          turnsOf(b),
          conv.slice(0, k).map(([h]) => h),
        );
        assert.deepEqual(
          b.messages.map((m) => m.role),
          Array.from({ length: 2 * k - 1 }, (_, i) => (i % 2 ? 'assistant' : 'user')),
        );
        // Each answer is the server's, not the recorded reply; its length asked for is the recorded reply's.
        for (const m of b.messages.filter((x) => x.role === 'assistant')) {
          assert.ok(m.content.length > 0);
          assert.ok(!conv.some(([, g]) => g === m.content), 'the history holds the server’s answer');
        }
        assert.equal(b.max_tokens, countTokens(conv[k - 1][1]));
      }
      // A turn's history is the previous turn's request plus the answer and the next human turn.
      for (const b of mine.filter((x) => turnsOf(x).length > 1)) {
        const k = turnsOf(b).length;
        const prev = b.messages.slice(0, 2 * k - 3);
        assert.ok(
          mine.some((p) => JSON.stringify(p.messages) === JSON.stringify(prev)),
          `turn ${k}'s history extends a turn ${k - 1} request`,
        );
      }
    }
    // The records agree: each turn's answer has the recorded reply's length (the server counts it).
    const recs: RawRecord[] = [];
    for await (const line of readRecordsFile(recordsPath))
      if (line.kind === 'record' && !line.record.w) recs.push(line.record);
    const conv = (cv: number) => (cv % 2 === 0 ? A : C);
    assert.deepEqual(
      recs.map((x) => [x.cv, x.tn, x.ou]).sort((a, b) => a[0]! * 10 + a[1]! - (b[0]! * 10 + b[1]!)),
      [0, 1, 2, 3].flatMap((cv) => [1, 2, 3].map((tn) => [cv, tn, countTokens(conv(cv)[tn - 1][1])])),
    );
  });

  it('refuses entries that are not conversations, naming the file and entry; too-short conversations leave nothing to replay', async () => {
    const flat = path.join(dir, 'flat.jsonl');
    fs.writeFileSync(flat, `${JSON.stringify({ prompt: 'hello there' })}\n`);
    const short = path.join(dir, 'short.json');
    fs.writeFileSync(short, JSON.stringify([shareGpt(A.slice(0, 1)), shareGpt(C.slice(0, 2))]));
    await withServer(['vllm'], {}, async (ep) => {
      const run = (dataset: string) =>
        runBenchmark(
          {
            url: ep.vllm,
            group: 'text-generation',
            model: 'tiny-llm',
            load: { sessions: { users: 1, turns: 3, fromDataset: true } },
            text: { dataset },
          },
          { recordsPath: path.join(dir, 'refused.records.jsonl') },
        );
      await assert.rejects(
        run(flat),
        specError(
          new RegExp(
            `${flat.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1: replaying conversations \\(sessions.fromDataset\\) needs ShareGPT "conversations" or chat "messages"`,
          ),
        ),
      );
      await assert.rejects(
        run(short),
        specError(
          /has no usable prompts \(2 skipped: a conversation with fewer than 3 human turns each followed by its reply\)/,
        ),
      );
    });
  });
});
