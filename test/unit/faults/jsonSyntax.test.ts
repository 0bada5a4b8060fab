/**
 * The benchmark's byte-level JSON check (src/core/bench/protocols/jsonSyntax.ts)
 * against JSON.parse: the same verdict on valid values, tricky edge cases and
 * every single-byte corruption of a sample, and the bench's body check on a
 * 64 KB answer with a bad byte in the middle (issue 15, item 1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSyntaxError, MAX_JSON_DEPTH } from '../../../src/core/bench/protocols/jsonSyntax';
import { checkJsonBody, type StreamState } from '../../../src/core/bench/protocols/apiProtocol';

const parses = (t: string) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

describe('jsonSyntaxError agrees with JSON.parse', () => {
  const samples = [
    '{}',
    '[]',
    ' {"a":[1,-2.5e+3,0,0.1,1E9,true,false,null,"x\\"y\\\\z\\u00e9\\n"]} ',
    '{"a":{"b":{"c":[[],[{}]]}}}',
    '"just a string"',
    '0',
    '-0',
    '{"a":1,}',
    '[1,]',
    '[01]',
    '[1.]',
    '[.5]',
    '[-]',
    '[1e]',
    '[+1]',
    '{"a" 1}',
    "{'a':1}",
    '{"a":1}}',
    '{"a":1} x',
    '[tru]',
    '[nul]',
    '["\\x"]',
    '["\\u12g4"]',
    '["a\tb"]',
    '[NaN]',
    '',
    '   ',
    '{"a":[1,2',
    '{"a":"unterminated',
    '[1,2,3]]',
    '{,}',
    '[,1]',
    '{"a":1,"b"}',
  ];
  for (const t of samples)
    it(JSON.stringify(t), () => assert.equal(jsonSyntaxError(Buffer.from(t)) === undefined, parses(t), t));

  it('every single-byte change of a sample gets the same verdict as JSON.parse', () => {
    const base = '{"data":[{"embedding":[0.1,-2,3e-4],"ok":true,"s":"a\\"b"}],"usage":{"n":null}}';
    const bytes = [...'{}[],:"\\0123456789-+.eEtrufalsn x?'].map((c) => c.charCodeAt(0));
    let checked = 0;
    for (let k = 0; k < base.length; k++)
      for (const c of bytes) {
        const t = base.slice(0, k) + String.fromCharCode(c) + base.slice(k + 1);
        assert.equal(jsonSyntaxError(Buffer.from(t)) === undefined, parses(t), t);
        checked++;
      }
    assert.ok(checked > 2000);
  });

  it('a cut-short body is reported as cut short, at its end', () => {
    const e = jsonSyntaxError(Buffer.from('{"data":[0.1,0.2'));
    assert.deepEqual(e, { at: 16, truncated: true, reason: 'ends inside an array' });
  });

  it(`nesting deeper than ${MAX_JSON_DEPTH} is refused (the check's memory stays bounded)`, () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    assert.match(jsonSyntaxError(Buffer.from(deep))?.reason ?? '', /nested deeper than 1024 levels/);
    const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    assert.equal(jsonSyntaxError(Buffer.from(ok)), undefined);
  });
});

describe('checkJsonBody on a large answer', () => {
  const answer = () =>
    Buffer.from(JSON.stringify({ data: [{ embedding: Array.from({ length: 13_000 }, (_, k) => (k % 100) / 100) }] }));

  it('a 64 KB body with one bad byte in the middle is malformed, with where and what', () => {
    const body = answer();
    assert.ok(body.length > 60_000);
    const mid = body.length >> 1;
    body[mid] = 0x3f;
    const st: StreamState = { text: '', contentType: 'application/json' };
    checkJsonBody(body, st, '{');
    assert.equal(st.malformed, true);
    assert.match(
      st.error ?? '',
      new RegExp(`^Response body is not valid JSON \\(.* at byte ${mid} of ${body.length}, near "`),
    );
  });

  it('the same body intact passes', () => {
    const st: StreamState = { text: '', contentType: 'application/json' };
    checkJsonBody(answer(), st, '{');
    assert.equal(st.error, undefined);
  });
});
