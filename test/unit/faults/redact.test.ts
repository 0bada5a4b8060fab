/**
 * The one redaction helper (src/shared/redact.ts): what a log line, an
 * output-channel line, a stored draft and the panel's sent URL keep of a
 * credential (issue 15, item 6).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, maskQuery, redactText, redactUrl } from '../../../src/shared/redact';
import { maskDraft } from '../../../src/core/request/secrets';
import { sentSummary } from '../../../src/core/request/transport/execute';
import { maskDraftForState } from '../../../webview/request/mask';

describe('redactText: a log line without credentials', () => {
  const cases: Array<[string, string]> = [
    [
      'request POST http://alice:pw-1@127.0.0.1:8000/v1/completions?api_key=k-2&x=1 → 200 in 12 ms',
      'request POST http://127.0.0.1:8000/v1/completions?x=1 → 200 in 12 ms',
    ],
    ['added at http://bob:pw-3@h:1/?token=t-4.', 'added at http://h:1/.'],
    ['Authorization: Bearer sk-typed-5, x-api-key: sk-6', `Authorization: Bearer ${MASK}, x-api-key: ${MASK}`],
    ['{"api_key":"sk-7","max_tokens":16}', `{"api_key":"${MASK}","max_tokens":16}`],
    [
      'cmd=["--model","m","--api-key","sk-8"] then --api-key sk-9 --hf-token=hf_10',
      `cmd=["--model","m","--api-key","${MASK}"] then --api-key ${MASK} --hf-token=${MASK}`,
    ],
    ['GET /v1/models?token=abc&a=1 done', `GET /v1/models?token=${MASK}&a=1 done`],
  ];
  for (const [input, want] of cases) it(input, () => assert.equal(redactText(input), want));

  it('leaves ordinary text alone (no false alarms on max_tokens, "Authentication failed", keys: 3)', () => {
    for (const t of [
      'Authentication failed (HTTP 401): the server refuses requests without a valid API key',
      'max_tokens=16 monkey=3 keys: 3',
      'embedded server listening: {"vllm":"http://127.0.0.1:42015"}',
    ])
      assert.equal(redactText(t), t);
  });

  it('masks a known secret value wherever it appears', () => {
    assert.equal(redactText('the server echoed sk-known-11 back', ['sk-known-11']), `the server echoed ${MASK} back`);
  });
});

describe('redactUrl and maskQuery', () => {
  it('a path keeps its form and loses only secret parameters', () => {
    assert.equal(redactUrl('/v1/x?api_key=1&a=2'), '/v1/x?a=2');
    assert.equal(redactUrl('/v1/x?token=1'), '/v1/x');
    assert.equal(redactUrl('/v1/x?a=2'), '/v1/x?a=2');
  });
  it('maskQuery puts the placeholder in place of secret values only', () => {
    assert.equal(maskQuery('/v1/x?api_key=s1&a=2#f', '${apiKey}'), '/v1/x?api_key=${apiKey}&a=2#f');
    assert.equal(maskQuery('/v1/x', '${apiKey}'), '/v1/x');
  });
});

describe('stored and shown drafts', () => {
  const draft = {
    template: 'raw' as const,
    model: '',
    method: 'POST',
    path: '/v1/completions?access_token=tok-12&x=1',
    headers: [
      { name: 'Authorization', value: 'Bearer typed-13' },
      { name: 'X-Custom-Token', value: 'typed-14' },
      { name: 'Accept', value: 'application/json' },
    ],
  };
  it('history and saved files (maskDraft) and the webview state keep no typed secret', () => {
    for (const m of [maskDraft(draft), maskDraftForState(draft)]) {
      assert.equal(m.path, '/v1/completions?access_token=${apiKey}&x=1');
      assert.deepEqual(m.headers, [
        { name: 'Authorization', value: 'Bearer ${apiKey}' },
        { name: 'X-Custom-Token', value: '${apiKey}' },
        { name: 'Accept', value: 'application/json' },
      ]);
    }
  });
  it("the panel's sent summary shows the URL without userinfo or secret parameters", () => {
    const s = sentSummary({
      transport: 'http',
      method: 'POST',
      url: 'http://u:pw-15@127.0.0.1:1/v1/completions?api_key=k-16&x=1',
      headers: { authorization: 'Bearer typed-17' },
      template: 'raw',
    } as unknown as Parameters<typeof sentSummary>[0]);
    assert.equal(s.url, 'http://127.0.0.1:1/v1/completions?x=1');
    assert.deepEqual(s.headers, { authorization: MASK });
  });
});
