// Complete answers → views and errors, from exchanges written after the wire reference.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyViews, type BodyInput } from '../../../../src/core/request/views/bodyViews';
import type { ResponseView } from '../../../../src/shared/request';

function run(body: string | Buffer, over: Partial<BodyInput> = {}) {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  return bodyViews({
    status: 200,
    contentType: 'application/json',
    body: b,
    sizeBytes: b.length,
    expect: 'json',
    ...over,
  });
}

function view<T extends ResponseView['type']>(views: ResponseView[], type: T): Extract<ResponseView, { type: T }> {
  const v = views.find((x) => x.type === type);
  assert.ok(v, `a ${type} view among ${views.map((x) => x.type).join(', ')}`);
  return v as Extract<ResponseView, { type: T }>;
}

describe('bodyViews: what an answer means', () => {
  it('OpenAI / vLLM chat: the message text, then the pretty JSON', () => {
    const r = run(
      '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","tool_calls":[]},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}',
    );
    assert.equal(r.error, undefined);
    assert.deepEqual(r.views[0], { type: 'generation', text: 'Hello!', finishReason: 'stop' });
    assert.match(view(r.views, 'json').text, /\n {2}"object": "chat.completion"/);
  });

  it('TGI generate, Triton generate and Ollama non-streamed generate', () => {
    assert.equal(
      view(
        run('{"generated_text":"abc","details":{"finish_reason":"eos_token","generated_tokens":3}}').views,
        'generation',
      ).finishReason,
      'eos_token',
    );
    assert.equal(
      view(run('{"model_name":"llm","model_version":"1","text_output":"xyz"}').views, 'generation').text,
      'xyz',
    );
    assert.equal(
      view(
        run('{"model":"llama3","created_at":"x","response":"sky","done":true,"done_reason":"stop"}\n').views,
        'generation',
      ).text,
      'sky',
    );
  });

  it('embeddings: OpenAI data[], Ollama embeddings[], TEI bare arrays — dims, L2 norm, preview', () => {
    const openai = view(
      run('{"object":"list","data":[{"object":"embedding","index":0,"embedding":[3,4]}],"model":"e"}').views,
      'embeddings',
    );
    assert.deepEqual(openai.items, [{ index: 0, dims: 2, norm: 5, preview: [3, 4] }]);
    const ollama = view(run('{"model":"e","embeddings":[[1,0,0],[0,2,0]]}').views, 'embeddings');
    assert.deepEqual(
      ollama.items.map((i) => i.norm),
      [1, 2],
    );
    const tei = view(run(JSON.stringify([Array.from({ length: 12 }, (_, i) => i / 10)])).views, 'embeddings');
    assert.equal(tei.items[0].dims, 12);
    assert.equal(tei.items[0].preview.length, 8);
  });

  it('KServe v2 outputs as tensor tables, with top-k for a score output (spec example and a classifier)', () => {
    const r = run(
      '{"id":"42","outputs":[{"name":"output0","shape":[3,2],"datatype":"FP32","data":[1.0,1.1,2.0,2.1,3.0,3.1]}]}',
    );
    const t = view(r.views, 'tensors').tensors[0];
    assert.deepEqual(t.rows, [
      [1, 1.1],
      [2, 2.1],
      [3, 3.1],
    ]);
    assert.deepEqual(t.stats, { min: 1, max: 3.1, mean: 2.05 });
    const logits = Array.from({ length: 1000 }, (_, i) => (i === 917 ? 9 : i === 3 ? 8 : 0));
    const cls = run(
      JSON.stringify({
        model_name: 'resnet50',
        outputs: [{ name: 'output', datatype: 'FP32', shape: [1, 1000], data: logits }],
      }),
    );
    const top = view(cls.views, 'topk');
    assert.deepEqual(
      top.labels.slice(0, 2).map((l) => l.index),
      [917, 3],
    );
    assert.ok(top.labels[0].score > top.labels[1].score && top.labels[0].score < 1);
    assert.equal(view(cls.views, 'tensors').tensors[0].truncated, true);
  });

  it("Triton's classification extension strings become labels", () => {
    const r = run(
      '{"outputs":[{"name":"OUTPUT0","datatype":"BYTES","shape":[1,2],"data":["0.8:3:tabby","0.1:5:tiger"]}]}',
    );
    assert.deepEqual(view(r.views, 'topk').labels, [
      { score: 0.8, index: 3, label: 'tabby' },
      { score: 0.1, index: 5, label: 'tiger' },
    ]);
  });

  it('TF Serving predictions with bare NaN/Infinity, and TorchServe label maps', () => {
    const tf = run('{\n    "predictions": [[2.5, NaN], [3.0, Infinity]]\n}');
    assert.equal(tf.error, undefined);
    assert.deepEqual(view(tf.views, 'tensors').tensors[0].shape, [2, 2]);
    assert.match(tf.notes.join(), /NaN or Infinity/);
    const ts = run('{\n  "tabby": 0.46,\n  "tiger_cat": 0.31,\n  "lynx": 0.1\n}', {
      expect: 'any',
      contentType: 'text/plain',
    });
    assert.deepEqual(
      view(ts.views, 'topk').labels.map((l) => l.label),
      ['tabby', 'tiger_cat', 'lynx'],
    );
    assert.match(ts.notes.join(), /labelled/);
  });

  it('non-2xx: the server message from every error shape, the body kept', () => {
    const cases: Array<[number, string, RegExp]> = [
      [400, '{"error":"Request for unknown model: \'x\' is not found"}', /HTTP 400: Request for unknown model/],
      [
        404,
        '{"error":{"message":"The model `x` does not exist.","type":"NotFoundError","param":"model","code":404}}',
        /does not exist/,
      ],
      [
        404,
        '{\n  "code": 404,\n  "type": "ModelNotFoundException",\n  "message": "Model not found: xyz"\n}\n',
        /Model not found: xyz/,
      ],
      [401, '', /Authentication failed \(HTTP 401\)/],
    ];
    for (const [status, body, re] of cases) {
      const r = run(body, { status });
      assert.match(r.error?.message ?? '', re);
      if (body) assert.ok(r.views.length > 0);
    }
  });

  it('malformed answers give a clear error and keep the raw text: truncated JSON, HTML with 200, empty body', () => {
    const truncated = run('{"outputs":[{"name":"o","data":[1,2,');
    assert.equal(truncated.error?.kind, 'malformed');
    assert.match(truncated.error?.message ?? '', /incomplete \(truncated\)/);
    assert.equal(view(truncated.views, 'text').text, '{"outputs":[{"name":"o","data":[1,2,');
    const html = run('<html><body>502 Bad Gateway</body></html>', { contentType: 'text/html' });
    assert.match(html.error?.message ?? '', /not valid JSON.*text\/html/);
    assert.match(run('', {}).error?.message ?? '', /empty/);
  });

  it('a stream was expected but something else came: says which content type arrived', () => {
    const r = run('<h1>proxy error</h1>', { contentType: 'text/html', expect: 'sse' });
    assert.match(
      r.error?.message ?? '',
      /Expected an event stream \(text\/event-stream\) but the server sent text\/html/,
    );
  });

  it('an error object inside a 200 JSON body is an error', () => {
    assert.match(
      run('{"error":"CUDA out of memory"}').error?.message ?? '',
      /HTTP 200 with an error: CUDA out of memory/,
    );
  });

  it('a body over the limit: error with the real size, first part shown', () => {
    const kept = Buffer.alloc(1024, 'a');
    const r = bodyViews({
      status: 200,
      contentType: 'application/json',
      body: kept,
      sizeBytes: 10 * 1024 * 1024,
      cutAt: 1024,
      expect: 'json',
    });
    assert.equal(r.error?.kind, 'too-large');
    assert.match(r.error?.message ?? '', /10\.0 MB, more than the 1\.0 KB/);
    assert.equal(view(r.views, 'text').text.length, 1024);
  });

  it('binary bodies are shown as hex, not mojibake', () => {
    const r = run(Buffer.from([0, 1, 2, 255]), { expect: 'any', contentType: 'application/octet-stream' });
    assert.match(view(r.views, 'text').text, /^\(binary, 4 B\)\n00 01 02 ff/);
  });
});
