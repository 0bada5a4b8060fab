import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cosine, EmbeddingModel } from '../../../src/core/embedded/models/embeddingModel';
import { createRegistry, defaultModelSpecs } from '../../../src/core/embedded/models/factory';
import { IMAGE_ELEMENTS, ImageModel } from '../../../src/core/embedded/models/imageModel';
import { TextModel } from '../../../src/core/embedded/models/textModel';
import { countTokens, encode, tokenPieces } from '../../../src/core/text/tokenizer';

describe('simulated tokenizer', () => {
  it('splits into pieces that concatenate back to the text', () => {
    const text = 'Hello, world!  The quick brownish fox jumped 42 times.\n<|user|>\nok';
    const pieces = tokenPieces(text);
    assert.equal(pieces.join(''), text);
    assert.equal(countTokens(text), pieces.length);
    assert.equal(encode(text).length, pieces.length);
    assert.ok(pieces.includes('<|user|>'), 'special tokens are one piece');
    assert.deepEqual(tokenPieces(' extraordinary'), [' extrao', 'rdinar', 'y']);
  });

  it('splits exactly as its defining regular expression does, on random text full of edge cases', () => {
    // The grammar the scanner implements, tried in this order (with the u flag).
    const grammar = /<\|[a-z_]+\|>| ?[A-Za-z]{1,6}| ?\d| ?[^\sA-Za-z\d]|\s+(?!\S)|\s+/gu;
    const alphabet = [
      ' ',
      ' ',
      'a',
      'Q',
      'z',
      'e',
      '7',
      '0',
      '<',
      '|',
      '>',
      '_',
      'b',
      '\t',
      '\n',
      '\r',
      '\v',
      '\f',
      '\u00a0',
      '\u1680',
      '\u2003',
      '\u2028',
      '\u202f',
      '\u3000',
      '\ufeff',
      '\u200b',
      'é',
      'ß',
      '😀',
      '\ud800',
      '\udc00',
      '.',
      ',',
      '-',
      '<|bos|>',
      '<|user|>',
      '<||>',
      'ABCDEFGH',
    ];
    let seed = 12345;
    const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    for (let round = 0; round < 20000; round++) {
      let text = '';
      const len = rnd(24);
      for (let i = 0; i < len; i++) text += alphabet[rnd(alphabet.length)];
      const expected = text.match(grammar) ?? [];
      assert.deepEqual(tokenPieces(text), expected, JSON.stringify(text));
      assert.equal(countTokens(text), expected.length, JSON.stringify(text));
    }
  });

  it('gives stable ids', () => {
    assert.deepEqual(encode('a b c'), encode('a b c'));
    assert.notDeepEqual(encode('a b c'), encode('a b d'));
  });
});

describe('simulated text model', () => {
  const m = new TextModel('t', 7, 0);
  it('is deterministic for a prompt and seed, and varies with the seed', () => {
    const a = m.generate('Tell me about queues', { maxTokens: 40 });
    assert.deepEqual(m.generate('Tell me about queues', { maxTokens: 40 }), a);
    assert.notEqual(m.generate('Tell me about queues', { maxTokens: 40, seed: 8 }).text, a.text);
  });

  it('reports as many tokens as re-tokenizing its text gives', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const g = m.generate('Some prompt with words', { maxTokens: 200, seed });
      assert.equal(countTokens(g.text), g.pieces.length);
      assert.equal(g.tokenIds.length, g.pieces.length);
    }
  });

  it('stops at max tokens with "length", or at a stop string', () => {
    const g = m.generate('x', { maxTokens: 3 });
    assert.equal(g.pieces.length, 3);
    assert.equal(g.finishReason, 'length');
    const full = m.generate('x', { maxTokens: 200 }).text;
    const word = full.split(' ')[3];
    const cut = m.generate('x', { maxTokens: 200, stop: [word] });
    assert.equal(cut.finishReason, 'stop');
    assert.equal(cut.stopMatched, word);
    assert.ok(!cut.text.includes(word));
  });

  it('renders the chat template with one special token per role', () => {
    assert.equal(m.renderChat([{ role: 'user', content: 'hi' }]), '<|user|>\nhi\n<|assistant|>\n');
  });
});

describe('simulated embedding model', () => {
  const e = new EmbeddingModel('e', 3, 0);
  it('returns unit vectors, deterministically', () => {
    const v = e.embed('the cat sat on the mat');
    assert.equal(v.length, 384);
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5);
    assert.deepEqual(e.embed('the cat sat on the mat'), v);
    assert.ok(Math.abs(Math.hypot(...e.embed('')) - 1) < 1e-6, 'empty text still gives a unit vector');
  });

  it('scores similar texts higher than unrelated ones', () => {
    const q = e.embed('how do I restart the inference server');
    const near = e.embed('restart an inference server');
    const far = e.embed('banana bread recipe with walnuts');
    assert.ok(cosine(q, near) > cosine(q, far) + 0.2, `${cosine(q, near)} vs ${cosine(q, far)}`);
  });

  it('honours dimensions and normalize=false', () => {
    assert.equal(e.embed('abc', 32).length, 32);
    const rawVec = e.embed('one two three', undefined, false);
    assert.ok(Math.hypot(...rawVec) > 1.5);
  });
});

describe('simulated image classifier', () => {
  const im = new ImageModel('resnet50', 5, 0);
  const image = (f: (i: number) => number) => Float32Array.from({ length: IMAGE_ELEMENTS }, (_, i) => f(i));
  it('maps [N,3,224,224] to [N,1000] deterministically, similar images to similar scores', () => {
    const a = image((i) => Math.sin(i / 500));
    const b = image((i) => Math.sin(i / 500) + 0.01);
    const c = image((i) => Math.cos(i / 37));
    const batch = new Float32Array(3 * IMAGE_ELEMENTS);
    batch.set(a, 0);
    batch.set(b, IMAGE_ELEMENTS);
    batch.set(c, 2 * IMAGE_ELEMENTS);
    const out = im.classifyTensor(batch, 3);
    assert.equal(out.length, 3000);
    assert.deepEqual(im.classifyTensor(a, 1), out.subarray(0, 1000));
    assert.ok(cosine(out.subarray(0, 1000), out.subarray(1000, 2000)) > 0.99);
    assert.ok(cosine(out.subarray(0, 1000), out.subarray(2000, 3000)) < 0.9);
  });

  it('refuses a wrongly sized tensor', () => {
    assert.throws(() => im.classifyTensor(new Float32Array(10), 1), /expected 150528/);
  });

  it('gives sorted top-k with probabilities and labels, also for encoded bytes', () => {
    const top = im.topK(im.classifyImage(new TextEncoder().encode('fake jpeg bytes')), 5);
    assert.equal(top.length, 5);
    for (let i = 1; i < 5; i++) assert.ok(top[i - 1].score >= top[i].score);
    assert.ok(top.every((t) => t.label === im.labels[t.index] && t.score > 0 && t.score < 1));
    assert.deepEqual(im.topK(im.classifyImage(new TextEncoder().encode('fake jpeg bytes')), 5), top);
  });
});

describe('model registry', () => {
  it('builds the defaults, one model per kind, all labelled simulated', () => {
    const r = createRegistry(defaultModelSpecs, 42, 0);
    assert.deepEqual(
      r.list().map((m) => m.kind),
      ['text-generation', 'embedding', 'image-classification'],
    );
    assert.ok(r.list().every((m) => m.simulated && /simulated/i.test(m.description)));
    assert.equal(r.getOfKind('tiny-llm', 'embedding'), undefined);
    assert.equal(r.first('embedding')?.name, 'mini-embed');
  });

  it('refuses duplicate names and keeps latency keys per kind', () => {
    assert.throws(
      () =>
        createRegistry(
          [
            { name: 'a', kind: 'embedding' },
            { name: 'a', kind: 'embedding' },
          ],
          1,
          0,
        ),
      /Duplicate/,
    );
    const r = createRegistry(
      [{ name: 'a', kind: 'embedding', latency: { decodePerTokenMs: 5, batchBaseMs: 9 } }],
      1,
      0,
    );
    const m = r.get('a') as EmbeddingModel;
    assert.equal(m.latency.batchBaseMs, 9);
    assert.equal((m.latency as unknown as Record<string, unknown>).decodePerTokenMs, undefined);
  });
});
