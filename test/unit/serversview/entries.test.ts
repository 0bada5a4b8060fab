import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseServerEntries,
  rawHasId,
  removeRawEntry,
  slugify,
  toStoredEntry,
  uniqueId,
  upsertRawEntry,
} from '../../../src/core/servers/view/serverEntries';
import {
  cleanServerUrl,
  defaultServerName,
  grpcAddressProblem,
  parseModelList,
  serverUrlProblem,
  timeoutProblem,
} from '../../../src/core/servers/view/urlInput';

describe('inferenceLab.servers entries', () => {
  it('keeps good entries and reports each bad one in words', () => {
    const { servers, problems } = parseServerEntries([
      {
        id: 'a',
        name: 'A',
        url: ' http://localhost:8000 ',
        kind: 'vllm',
        models: ['m', 3],
        allowSelfSigned: true,
        timeoutMs: 2000,
      },
      { name: 'No URL' },
      'not an object',
      { id: 'b', url: 'http://h:1', kind: 'nonsense' },
      { id: 'c', url: 'http://h:2', apiKey: 'sk-secret' },
      { id: 'a', url: 'http://h:3' },
      { name: 'Named Only', url: 'http://h:4' },
    ]);
    assert.deepEqual(servers, [
      {
        id: 'a',
        name: 'A',
        url: 'http://localhost:8000',
        kind: 'vllm',
        models: ['m'],
        allowSelfSigned: true,
        timeoutMs: 2000,
      },
      { id: 'named-only', name: 'Named Only', url: 'http://h:4' },
    ]);
    assert.deepEqual(
      problems.map((p) => [p.index, p.label]),
      [
        [1, '"No URL"'],
        [2, '#3'],
        [3, '"b"'],
        [4, '"c"'],
        [5, '"a"'],
      ],
    );
    assert.match(problems[0].message, /has no "url"/);
    assert.match(problems[2].message, /unknown "kind" "nonsense"/);
    assert.match(problems[3].message, /secret storage/);
    assert.doesNotMatch(problems[3].message, /sk-secret/, 'the key itself never appears in a message');
    assert.match(problems[4].message, /repeats the id "a"/);
  });

  it('treats a missing setting as empty and a non-array as one problem', () => {
    assert.deepEqual(parseServerEntries(undefined), { servers: [], problems: [] });
    assert.equal(parseServerEntries({ url: 'x' }).problems.length, 1);
  });

  it('derives ids that settings and secret keys can hold, and keeps them unique', () => {
    assert.equal(slugify('vLLM @ localhost:8000'), 'vllm-localhost-8000');
    assert.equal(slugify('https://Example.com/v1'), 'example-com-v1');
    assert.equal(slugify('!!!'), 'server');
    assert.equal(uniqueId('My Server', ['my-server', 'my-server-2']), 'my-server-3');
    assert.equal(uniqueId('Other', ['my-server']), 'other');
  });

  it('writes entries without API keys or empty fields, replacing by id and leaving other items as written', () => {
    const stored = toStoredEntry({
      id: 'x',
      name: 'X',
      url: 'http://h:1',
      apiKey: 'sk',
      models: [],
      allowSelfSigned: false,
      metricsUrl: '',
    });
    assert.deepEqual(stored, { id: 'x', name: 'X', url: 'http://h:1' });
    const raw = [
      { name: 'X', url: 'http://h:1', comment: 'mine' },
      { id: 'y', url: 'http://h:2' },
    ];
    assert.ok(rawHasId(raw, 'x'), 'an entry without id is found by its derived id');
    const updated = upsertRawEntry(raw, { id: 'x', name: 'X', url: 'http://h:9' });
    assert.deepEqual(updated[0], { id: 'x', name: 'X', url: 'http://h:9' });
    assert.deepEqual(updated[1], raw[1]);
    assert.equal(upsertRawEntry(raw, { id: 'z', name: 'Z', url: 'http://h:3' }).length, 3);
    assert.deepEqual(removeRawEntry(raw, 'y'), [raw[0]]);
    assert.deepEqual(removeRawEntry(undefined, 'y'), []);
  });
});

describe('Add / Edit Server input checks', () => {
  it('explains what is wrong with a URL as it is typed', () => {
    assert.match(serverUrlProblem('')!, /Enter the server URL/);
    assert.match(serverUrlProblem('localhost:8000')!, /Add the scheme: http:\/\/localhost:8000/);
    assert.match(serverUrlProblem('ftp://host')!, /Unsupported scheme "ftp:"/);
    assert.match(serverUrlProblem('http://user:pw@host:1')!, /credentials/);
    assert.match(serverUrlProblem('http://host:0')!, /Port 0/);
    assert.match(serverUrlProblem('http://exa mple.com')!, /Not a valid URL/);
    assert.equal(serverUrlProblem('http://localhost:8000'), undefined);
    assert.equal(serverUrlProblem('https://gpu-box.internal/prefix/'), undefined);
  });

  it('stores URLs trimmed, without trailing slash, query or fragment; refuses bad ones', () => {
    assert.equal(cleanServerUrl(' http://localhost:8000/ '), 'http://localhost:8000');
    assert.equal(cleanServerUrl('https://h/prefix/?q=1#f'), 'https://h/prefix');
    assert.throws(() => cleanServerUrl('localhost'), /Add the scheme/);
  });

  it('checks gRPC addresses, timeouts and model lists', () => {
    assert.equal(grpcAddressProblem('localhost:8001'), undefined);
    assert.equal(grpcAddressProblem('[::1]:8001'), undefined);
    assert.equal(grpcAddressProblem(''), undefined);
    assert.match(grpcAddressProblem('http://localhost:8001')!, /host:port/);
    assert.match(grpcAddressProblem('h:70000')!, /between 1 and 65535/);
    assert.equal(timeoutProblem('2500'), undefined);
    assert.match(timeoutProblem('5')!, /between 100/);
    assert.match(timeoutProblem('1.5')!, /whole number/);
    assert.deepEqual(parseModelList(' a, b  c,,a '), ['a', 'b', 'c']);
    assert.equal(defaultServerName('vLLM', 'http://localhost:8000'), 'vLLM @ localhost:8000');
    assert.equal(defaultServerName(undefined, 'http://h:1'), 'h:1');
  });
});
