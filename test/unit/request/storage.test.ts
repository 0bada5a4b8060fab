// Secrets stay out of history, saved files and the panel; history keeps the last 50; saved files validate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { historyEntry, HISTORY_LIMIT, pushHistory, readHistory, summarize } from '../../../src/core/request/history';
import type { RequestDraft, RequestResult } from '../../../src/shared/request';
import {
  parseSavedRequest,
  savedFileName,
  serializeSavedRequest,
  targetFromSaved,
  toSavedRequest,
} from '../../../src/core/request/savedRequest';
import { displayHeaders, maskDraft } from '../../../src/core/request/secrets';
import { defaultDraft } from '../../../src/core/request/build/templates';
import { target } from './helpers';

const KEY = 'sk-live-123456';
const raw: RequestDraft = {
  template: 'raw',
  model: '',
  method: 'POST',
  path: `/v1/x?key=${KEY}`,
  headers: [
    { name: 'Authorization', value: `Bearer ${KEY}` },
    { name: 'X-Api-Key', value: 'typed-secret' },
    { name: 'X-Trace', value: 'abc' },
  ],
  body: `{"token":"${KEY}"}`,
};
const result: RequestResult = {
  ok: true,
  status: 200,
  headers: {},
  sizeBytes: 10,
  timing: { totalMs: 812.4, ttfbMs: 30 },
  views: [{ type: 'generation', text: 'x' }],
  stream: { tokenCount: 64, elapsedMs: 800, tokensPerSecond: 78.2, ttftMs: 30 },
};

describe('secrets', () => {
  it('maskDraft replaces the stored key everywhere and every credential header by the placeholder', () => {
    const m = maskDraft(raw, KEY);
    assert.deepEqual(m.headers, [
      { name: 'Authorization', value: 'Bearer ${apiKey}' },
      { name: 'X-Api-Key', value: '${apiKey}' },
      { name: 'X-Trace', value: 'abc' },
    ]);
    assert.ok(!JSON.stringify(m).includes(KEY));
    assert.ok(!JSON.stringify(m).includes('typed-secret'));
  });

  it('displayHeaders dots out the placeholder and credential headers', () => {
    assert.deepEqual(displayHeaders({ authorization: 'Bearer ${apiKey}', cookie: 'a=b', accept: 'x' }), {
      authorization: 'Bearer ••••••••',
      cookie: '••••••••',
      accept: 'x',
    });
  });
});

describe('history', () => {
  it('an entry has a summary, the timings and a masked draft', () => {
    const t = target('vllm', 'http://h', 'tiny-llm');
    const e = historyEntry(t, raw, result, KEY, new Date('2026-01-01T00:00:00Z'));
    assert.equal(e.at, '2026-01-01T00:00:00.000Z');
    assert.equal(e.summary, 'POST /v1/x?key=${apiKey} → 200 · 812 ms · 64 tokens · 78 tok/s');
    assert.ok(!JSON.stringify(e).includes(KEY));
    assert.equal(
      summarize(defaultDraft('openai-chat', t), { ...result, status: undefined, cancelled: true, stream: undefined }),
      'openai-chat tiny-llm → cancelled · 812 ms',
    );
  });

  it('keeps the newest 50, newest first, and reads damaged state as empty', () => {
    let list = readHistory(undefined);
    for (let i = 0; i < 60; i++)
      list = pushHistory(list, { ...historyEntry(target('vllm', 'http://h'), raw, result), id: String(i) });
    assert.equal(list.length, HISTORY_LIMIT);
    assert.equal(list[0].id, '59');
    assert.equal(list.at(-1)?.id, '10');
    assert.deepEqual(readHistory({ not: 'a list' }), []);
    assert.deepEqual(readHistory([null, 3, { id: 'x' }]), []);
  });
});

describe('saved requests', () => {
  const t = target('triton', 'http://127.0.0.1:8000', 'simple', { grpcAddress: '127.0.0.1:8001' });

  it('round-trips through the file format, masked, and names a file from the request name', () => {
    const saved = toSavedRequest('Add two tensors', t, { ...raw, template: 'raw' }, KEY);
    const text = serializeSavedRequest(saved);
    assert.ok(!text.includes(KEY));
    const back = parseSavedRequest(text, 'add.json');
    assert.deepEqual(back, saved);
    assert.deepEqual(targetFromSaved(back), {
      serverId: t.serverId,
      serverName: t.serverName,
      kind: 'triton',
      baseUrl: t.baseUrl,
      grpcAddress: '127.0.0.1:8001',
      wsUrl: undefined,
      model: undefined,
    });
    assert.equal(savedFileName('Add two tensors!', 'raw'), 'add-two-tensors.json');
    assert.equal(savedFileName('???', 'kserve-infer'), 'kserve-infer.json');
  });

  it('reports every problem of a bad file', () => {
    assert.throws(() => parseSavedRequest('{', 'x.json'), /x\.json is not valid JSON/);
    assert.throws(
      () =>
        parseSavedRequest(
          JSON.stringify({
            inferenceLabRequest: 1,
            name: 'n',
            server: { serverId: 's', kind: 'vllm' },
            draft: { template: 'nope', model: 'm', params: { maxTokens: 0 } },
          }),
          'y.json',
        ),
      (e: Error) =>
        /server must have required property 'baseUrl'/.test(e.message) &&
        /template must be equal to one of the allowed values/.test(e.message) &&
        /maxTokens must be >= 1/.test(e.message),
    );
    assert.throws(
      () =>
        parseSavedRequest(
          JSON.stringify({
            inferenceLabRequest: 2,
            name: 'n',
            server: { serverId: 's', kind: 'k', baseUrl: 'u' },
            draft: { template: 'raw', model: '' },
          }),
        ),
      /inferenceLabRequest must be <= 1/,
    );
  });
});
