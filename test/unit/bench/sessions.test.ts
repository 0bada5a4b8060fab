/**
 * Multi-turn sessions: users hold conversations whose history grows turn by
 * turn (the streamed answers appended), with think time between turns; the
 * step reports TTFT and prompt length by turn index and per-conversation
 * figures, which must match the records.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EV_TEXT, type RawRecord } from '../../../src/core/bench/record';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { resultToJson } from '../../../src/core/bench/result';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { BenchSpecError, normalizeSpec } from '../../../src/core/bench/specNormalize';
import { firstEvent } from '../../../src/core/bench/profiles/timeline';
import { spread } from '../../../src/core/bench/workload/sessions';
import { withServer } from '../embedded/helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sessions-'));
const specError = (re: RegExp) => (e: unknown) => e instanceof BenchSpecError && re.test(e.message);

describe('multi-turn sessions', () => {
  it('validates the sessions spec with clear errors', () => {
    const base = { url: 'http://127.0.0.1:1', group: 'text-generation' as const };
    const n = normalizeSpec({ ...base, load: { sessions: { users: 4 } } });
    assert.deepEqual(n.load.sessions, { users: 4, turns: 4, thinkTimeSec: 0, conversations: 4 });
    assert.equal(n.load.mode, 'sessions');
    assert.equal(n.api, 'openai-chat');
    assert.equal(n.requests, undefined);
    assert.throws(() => normalizeSpec({ ...base, load: { sessions: { users: 0 } } }), specError(/users is a whole/));
    assert.throws(
      () => normalizeSpec({ ...base, load: { sessions: { users: 2, turns: 2.5 } } }),
      specError(/turns is a whole number/),
    );
    assert.throws(
      () => normalizeSpec({ ...base, load: { sessions: { users: 2, thinkTimeSec: -1 } } }),
      specError(/thinkTimeSec/),
    );
    assert.throws(
      () => normalizeSpec({ ...base, api: 'openai-completions', load: { sessions: { users: 2 } } }),
      specError(/use api openai-chat, not openai-completions/),
    );
    assert.throws(
      () => normalizeSpec({ ...base, requests: 10, load: { sessions: { users: 2 } } }),
      specError(/conversations × turns requests/),
    );
    assert.throws(
      () => normalizeSpec({ ...base, group: 'embeddings', load: { sessions: { users: 2 } } }),
      specError(/for text-generation/),
    );
    assert.throws(
      () => normalizeSpec({ ...base, load: { sessions: { users: 2 }, concurrency: [2] } }),
      specError(/Choose one load mode: concurrency, sessions/),
    );
  });

  it('grows each conversation by its answers, waits the think time, and reports by turn', async () => {
    const recordsPath = path.join(dir, 'sessions.records.jsonl');
    await withServer(['vllm'], {}, async (ep) => {
      const r = await runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          model: 'tiny-llm',
          load: { sessions: { users: 2, turns: 3, thinkTimeSec: 0.05, conversations: 3 } },
          text: { inputTokens: { mean: 8 }, outputTokens: { mean: 5 } },
        },
        { recordsPath },
      );
      assert.deepEqual(resultProblems(JSON.parse(resultToJson(r))), []);
      assert.equal(r.config.api, 'openai-chat');
      assert.equal(r.steps.length, 1);
      const step = r.steps[0];
      assert.equal(step.label, '2 users × 3 turns');
      assert.equal(step.requests.sent, 9);
      const recs: RawRecord[] = [];
      for await (const line of readRecordsFile(recordsPath))
        if (line.kind === 'record' && !line.record.w) recs.push(line.record);
      assert.equal(recs.length, 9);
      const byConv = new Map<number, RawRecord[]>();
      for (const x of recs) {
        assert.ok(x.cv !== undefined && x.tn !== undefined, 'every record has its conversation and turn');
        byConv.set(x.cv, [...(byConv.get(x.cv) ?? []), x]);
      }
      assert.deepEqual([...byConv.keys()].sort(), [0, 1, 2]);
      for (const turns of byConv.values()) {
        turns.sort((a, b) => a.tn! - b.tn!);
        assert.deepEqual(
          turns.map((x) => x.tn),
          [1, 2, 3],
        );
        for (const x of turns) assert.equal(x.io, x.iu, 'the count before sending is the server usage.prompt_tokens');
        for (let k = 1; k < turns.length; k++) {
          const [a, b] = [turns[k - 1], turns[k]];
          // The next prompt holds the previous prompt, its answer (5 tokens) and a new user message (8 tokens).
          assert.ok(b.iu! >= a.iu! + a.ou! + 8, `turn ${b.tn}: ${b.iu} ≥ ${a.iu} + ${a.ou} + 8`);
          assert.equal(a.ou, 5);
          // Think time: the next turn goes out at least 50 ms after the answer ended.
          assert.ok(b.t - (a.t + a.e) >= 49.9, `think time kept: ${b.t - (a.t + a.e)} ms`);
        }
      }
      const s = step.sessions!;
      assert.equal(s.conversations, 3);
      assert.equal(s.completed, 3);
      assert.deepEqual(
        s.byTurn.map((t) => [t.turn, t.requests, t.succeeded]),
        [
          [1, 3, 3],
          [2, 3, 3],
          [3, 3, 3],
        ],
      );
      for (const t of s.byTurn) {
        const at = recs.filter((x) => x.tn === t.turn);
        assert.deepEqual(t.ttftMs, spread(at.map((x) => firstEvent(x, EV_TEXT)!)));
        assert.deepEqual(t.inputTokens, spread(at.map((x) => x.iu!)));
      }
      assert.ok(s.byTurn[2].inputTokens.mean > s.byTurn[1].inputTokens.mean);
      assert.ok(s.byTurn[1].inputTokens.mean > s.byTurn[0].inputTokens.mean);
      const durations = [...byConv.values()].map(
        (turns) => (Math.max(...turns.map((x) => x.t + x.e)) - Math.min(...turns.map((x) => x.t))) / 1000,
      );
      assert.deepEqual(s.durationSec, spread(durations));
      assert.ok(s.durationSec.p50 >= 0.1, 'two think times of 50 ms are inside a conversation');
    });
  });
});
