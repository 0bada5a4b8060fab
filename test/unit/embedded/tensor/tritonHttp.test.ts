/**
 * The embedded Triton's REST front end over raw HTTP: every path, Triton's
 * quirks (empty health bodies, 400 for unknown models and when not ready,
 * Canonical-Case headers), JSON tensors and the binary tensor extension
 * byte for byte.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { encodeInferRequest } from '../../../../src/core/kserve/inferHttp';
import { decodeInferResponse } from '../../../../src/core/kserve/inferHttp';
import { ImageModel } from '../../../../src/core/embedded/models/imageModel';
import { json, pixels, rawRequest, tensorServer } from './helpers';

const server = tensorServer(['triton']);
let base = '';
let metricsBase = '';

before(async () => {
  const e = await server.start();
  base = e.triton;
  metricsBase = e.tritonMetrics;
});
after(() => server.stop());

type MiniStats = { model_stats: Array<{ inference_stats: { fail: { count: number } } }> };
const post = (path: string, body: string | Buffer, headers: Record<string, string | number> = {}) =>
  rawRequest(base + path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

describe('Triton REST: server, health, metadata', () => {
  it('GET /v2 gives compact server metadata with Triton extensions', async () => {
    const r = await rawRequest(`${base}/v2`);
    assert.equal(r.status, 200);
    const m = json(r) as { name: string; version: string; extensions: string[] };
    assert.equal(m.name, 'triton');
    assert.match(m.version, /^2\.\d+\.\d+$/);
    assert.ok(
      m.extensions.includes('binary_tensor_data') &&
        m.extensions.includes('statistics') &&
        m.extensions.includes('model_repository'),
    );
    assert.ok(!r.body.toString().includes(' '), 'compact JSON');
    assert.ok(
      r.rawHeaderNames.includes('Content-Type') && r.rawHeaderNames.includes('Content-Length'),
      r.rawHeaderNames.join(),
    );
  });

  it('health live/ready answer 200 with an empty text/plain body', async () => {
    for (const p of ['/v2/health/live', '/v2/health/ready']) {
      const r = await rawRequest(base + p);
      assert.equal(r.status, 200, p);
      assert.equal(r.body.length, 0);
      assert.equal(r.headers['content-length'], '0');
      assert.equal(r.headers['content-type'], 'text/plain');
    }
  });

  it('model metadata, versioned metadata, ready and config say the model is simulated', async () => {
    const m = json(await rawRequest(`${base}/v2/models/resnet50`)) as Record<string, unknown>;
    assert.deepEqual(m, {
      name: 'resnet50',
      versions: ['1'],
      platform: 'simulated',
      inputs: [
        { name: 'input', datatype: 'FP32', shape: [-1, 3, 224, 224] },
        { name: 'image', datatype: 'BYTES', shape: [-1] },
      ],
      outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 1000] }],
    });
    assert.equal(
      (json(await rawRequest(`${base}/v2/models/resnet50/versions/1`)) as { name: string }).name,
      'resnet50',
    );
    const ready = await rawRequest(`${base}/v2/models/mini-embed/versions/1/ready`);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.length, 0);
    const cfg = json(await rawRequest(`${base}/v2/models/resnet50/config`)) as {
      max_batch_size: number;
      input: Array<{ data_type: string; dims: number[] }>;
      parameters: Record<string, { string_value: string }>;
    };
    assert.equal(cfg.max_batch_size, 8);
    assert.deepEqual(cfg.input[0].dims, [3, 224, 224]);
    assert.equal(cfg.input[0].data_type, 'TYPE_FP32');
    assert.equal(cfg.input[1].data_type, 'TYPE_STRING');
    assert.equal(cfg.parameters.simulated.string_value, 'true');
  });

  it("unknown models and versions: Triton 2.51's statuses, content types and bodies (seen on the real one)", async () => {
    const cases: Array<[string, string | undefined, number, string, string]> = [
      ['/v2/models/nope', undefined, 404, 'application/json', "Request for unknown model: 'nope' is not found"],
      ['/v2/models/nope/config', undefined, 404, 'application/json', "Request for unknown model: 'nope' is not found"],
      [
        '/v2/models/resnet50/versions/2',
        undefined,
        404,
        'application/json',
        "Request for unknown model: 'resnet50' version 2 is not found",
      ],
      // An unknown model's infer: 404 labelled text/plain (the body is still JSON).
      ['/v2/models/nope/infer', '{"inputs":[]}', 404, 'text/plain', "Request for unknown model: 'nope' is not found"],
      [
        '/v2/models/resnet50/versions/7/infer',
        '{"inputs":[]}',
        404,
        'text/plain',
        "Request for unknown model: 'resnet50' version 7 is not found",
      ],
      // Readiness of an unknown model or version is "not ready", not an error.
      ['/v2/models/nope/ready', undefined, 400, 'text/plain', 'Model version not ready'],
      ['/v2/models/resnet50/versions/2/ready', undefined, 400, 'text/plain', 'Model version not ready'],
    ];
    for (const [p, body, status, type, error] of cases) {
      const r = body === undefined ? await rawRequest(base + p) : await post(p, body);
      assert.deepEqual(
        [r.status, r.headers['content-type'], r.body.toString()],
        [status, type, JSON.stringify({ error })],
        p,
      );
    }
  });

  it('unknown paths are 404 {"error":"Not Found"}, wrong methods 405', async () => {
    const r = await rawRequest(`${base}/v3`);
    assert.equal(r.status, 404);
    assert.equal(r.body.toString(), '{"error":"Not Found"}');
    const nonNumeric = await rawRequest(`${base}/v2/models/resnet50/versions/latest`);
    assert.equal(nonNumeric.status, 404);
    const m = await rawRequest(`${base}/v2/models/resnet50/infer`);
    assert.equal(m.status, 405);
    assert.equal(m.body.toString(), '{"error":"Method Not Allowed"}');
  });
});

describe('Triton REST: inference', () => {
  it('classifies an FP32 JSON tensor: Triton key order, flat data, same logits as the model', async () => {
    const px = pixels(1);
    const r = await post(
      '/v2/models/resnet50/infer',
      JSON.stringify({
        id: 'a1',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 3, 224, 224], data: Array.from(px) }],
      }),
    );
    assert.equal(r.status, 200, r.body.toString().slice(0, 300));
    assert.equal(r.headers['content-type'], 'application/json');
    assert.match(
      r.body.toString(),
      /^\{"id":"a1","model_name":"resnet50","model_version":"1","outputs":\[\{"name":"output","datatype":"FP32","shape":\[1,1000\],"data":\[/,
    );
    const out = (json(r) as { outputs: Array<{ data: number[] }> }).outputs[0].data;
    const expected = new ImageModel('resnet50', 42, 0).classifyTensor(px, 1);
    assert.equal(out.length, 1000);
    assert.ok(out.every((v, i) => Math.abs(v - expected[i]) < 1e-5));
  });

  it('answers binary outputs byte for byte with Inference-Header-Content-Length', async () => {
    const enc = encodeInferRequest(
      {
        inputs: [
          {
            name: 'text',
            datatype: 'BYTES',
            shape: [2],
            values: [Buffer.from('hello world'), Buffer.from('hello there')],
          },
        ],
      },
      { binaryInputs: true, binaryOutputs: true },
    );
    const r = await post('/v2/models/mini-embed/infer', enc.body, {
      'Inference-Header-Content-Length': enc.headerLength!,
      'Content-Type': 'application/octet-stream',
    });
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.ok(r.rawHeaderNames.includes('Inference-Header-Content-Length'), r.rawHeaderNames.join());
    const len = Number(r.headers['inference-header-content-length']);
    const header =
      '{"model_name":"mini-embed","model_version":"1","outputs":[{"name":"embedding","datatype":"FP32","shape":[2,16],"parameters":{"binary_data_size":128}}]}';
    assert.equal(r.body.subarray(0, len).toString(), header);
    assert.equal(r.body.length, len + 128);
    const vec = new Float32Array(r.body.buffer.slice(r.body.byteOffset + len, r.body.byteOffset + len + 128));
    const norm = (o: number) => Math.hypot(...vec.subarray(o, o + 16));
    assert.ok(Math.abs(norm(0) - 1) < 1e-5 && Math.abs(norm(16) - 1) < 1e-5);
    const decoded = decodeInferResponse(r.body, len);
    assert.equal(decoded.outputs[0].values.length, 32);
  });

  it('honours per-output binary_data and the classification extension (top-k labels)', async () => {
    const body = JSON.stringify({
      inputs: [{ name: 'image', datatype: 'BYTES', shape: [1], data: ['not really a jpeg'] }],
      outputs: [{ name: 'output', parameters: { classification: 3 } }],
    });
    const r = await post('/v2/models/resnet50/infer', body);
    assert.equal(r.status, 200, r.body.toString());
    const out = (json(r) as { outputs: Array<{ datatype: string; shape: number[]; data: string[] }> }).outputs[0];
    assert.equal(out.datatype, 'BYTES');
    assert.deepEqual(out.shape, [1, 3]);
    const logits = new ImageModel('resnet50', 42, 0).classifyImage(Buffer.from('not really a jpeg'));
    const top = new ImageModel('resnet50', 42, 0).topK(logits, 3);
    assert.deepEqual(
      out.data,
      top.map((t) => `${logits[t.index].toFixed(6)}:${t.index}:${t.label}`),
    );
  });

  it('treats Inference-Header-Content-Length: 0 as a raw binary request with binary outputs', async () => {
    const img = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const r = await post('/v2/models/resnet50/infer', img, {
      'Inference-Header-Content-Length': 0,
      'Content-Type': 'application/octet-stream',
    });
    assert.equal(r.status, 200, r.body.toString());
    const len = Number(r.headers['inference-header-content-length']);
    const res = decodeInferResponse(r.body, len);
    const expected = new ImageModel('resnet50', 42, 0).classifyImage(img);
    assert.deepEqual([...(res.outputs[0].values as Float32Array)].slice(0, 5), [...expected].slice(0, 5));
  });

  it('compresses the response when the client accepts gzip', async () => {
    const body = JSON.stringify({ inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], data: ['zip me'] }] });
    const r = await post('/v2/models/mini-embed/infer', body, { 'Accept-Encoding': 'gzip' });
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal((JSON.parse(gunzipSync(r.body).toString()) as { model_name: string }).model_name, 'mini-embed');
  });

  it("refuses bad requests with Triton 2.51's statuses and messages (seen on the real one), counting no failure", async () => {
    const failures = async () =>
      (json(await rawRequest(`${base}/v2/models/mini-embed/stats`)) as MiniStats).model_stats[0].inference_stats.fail
        .count;
    const failedBefore = await failures();
    const text = (data: string[], name = 'text') => ({ name, datatype: 'BYTES', shape: [data.length], data });
    const cases: Array<[string, string | Buffer, Record<string, string | number>, number, RegExp]> = [
      [
        '/v2/models/resnet50/infer',
        '{"inputs":[{"name":"input","datatype":"FP32","shape":[1,3,224,223],"data":[]}]}',
        {},
        400,
        /shape \[1,3,224,223\] needs 149856 element/,
      ],
      [
        '/v2/models/mini-embed/infer',
        '{"id":"q","inputs":[{"name":"text","datatype":"FP32","shape":[1],"data":[1]}]}',
        {},
        400,
        /^\[request id: q\] inference input 'text' data-type is 'FP32', but model 'mini-embed' expects 'BYTES'$/,
      ],
      // An unknown name: no request id in 2.51's message.
      [
        '/v2/models/mini-embed/infer',
        JSON.stringify({ id: 'q', inputs: [text(['a'], 'txt')] }),
        {},
        400,
        /^unexpected inference input 'txt' for model 'mini-embed'$/,
      ],
      // A repeated name comes first, then the count; with nothing missing 2.51 prints a lone "]".
      [
        '/v2/models/mini-embed/infer',
        JSON.stringify({ inputs: [text(['a']), text(['b'])] }),
        {},
        400,
        /^\[request id: <id_unknown>\] input 'text' already exists in request$/,
      ],
      [
        '/v2/models/mini-embed/infer',
        JSON.stringify({ inputs: [text(['a']), text(['b'], 'nope')] }),
        {},
        400,
        /^\[request id: <id_unknown>\] expected 1 inputs but got 2 inputs for model 'mini-embed'\. Got input\(s\) \['nope','text'\], but missing required input\(s\) \]\. Please provide all required input\(s\)\.$/,
      ],
      [
        '/v2/models/mini-embed/infer',
        '{"inputs":[]}',
        {},
        400,
        /^\[request id: <id_unknown>\] expected 1 inputs but got 0 inputs for model 'mini-embed'\. Got input\(s\) \[\], but missing required input\(s\) \['text'\]\. Please provide all required input\(s\)\.$/,
      ],
      [
        '/v2/models/mini-embed/infer',
        '{"inputs":[{"name":"text","datatype":"BYTES","shape":[9],"data":["a","a","a","a","a","a","a","a","a"]}]}',
        {},
        400,
        /batch-size must be <= 8 for 'mini-embed'/,
      ],
      [
        '/v2/models/mini-embed/infer',
        '{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a"]}],"outputs":[{"name":"x"}]}',
        {},
        400,
        /^unexpected inference output 'x' for model 'mini-embed'$/,
      ],
      // A body that is not JSON: 500, as 2.51 answers it.
      ['/v2/models/mini-embed/infer', '{"inputs":[', {}, 500, /^failed to parse the request JSON buffer: /],
      [
        '/v2/models/mini-embed/infer',
        '{"inputs":[]}',
        { 'Inference-Header-Content-Length': 99 },
        400,
        /Inference-Header-Content-Length is 99 but the body has only 13 byte/,
      ],
    ];
    for (const [path, body, headers, status, re] of cases) {
      const r = await post(path, body, headers);
      assert.equal(r.status, status, `${path} ${String(body).slice(0, 60)}: ${r.body}`);
      assert.equal(r.headers['content-type'], 'application/json');
      const err = (json(r) as { error: string }).error;
      assert.match(err, re);
    }
    assert.equal(await failures(), failedBefore, 'requests refused by validation are not failures');
    const shape = await post(
      '/v2/models/resnet50/infer',
      JSON.stringify({
        inputs: [{ name: 'input', datatype: 'FP32', shape: [3, 224, 224], data: Array.from(pixels(1)) }],
      }),
    );
    assert.match(
      (json(shape) as { error: string }).error,
      /^\[request id: <id_unknown>\] unexpected shape for input 'input' for model 'resnet50'\. Expected \[-1,3,224,224\], got \[3,224,224\]\. NOTE:/,
    );
  });
});

describe('Triton REST: repository, statistics, metrics', () => {
  it('POST /v2/repository/index lists every model as a JSON array (the decoupled "words" after the others)', async () => {
    const r = await post('/v2/repository/index', '');
    assert.deepEqual(json(r), [
      { name: 'resnet50', version: '1', state: 'READY' },
      { name: 'mini-embed', version: '1', state: 'READY' },
      { name: 'words', version: '1', state: 'READY' },
    ]);
    assert.deepEqual(json(await post('/v2/repository/index', '{"ready":true}')), json(r));
  });

  it('load/unload is refused in the default model control mode', async () => {
    const r = await post('/v2/repository/models/resnet50/unload', '');
    assert.equal(r.status, 503);
    assert.equal(
      (json(r) as { error: string }).error,
      'explicit model load / unload is not allowed if polling is enabled',
    );
  });

  it('statistics count successes, failures, items and batches', async () => {
    const s = json(await rawRequest(`${base}/v2/models/mini-embed/stats`)) as {
      model_stats: Array<Record<string, unknown>>;
    };
    const st = s.model_stats[0] as {
      name: string;
      version: string;
      inference_count: number;
      execution_count: number;
      last_inference: number;
      inference_stats: Record<string, { count: number; ns: number }>;
      batch_stats: Array<{ batch_size: number }>;
    };
    assert.equal(st.name, 'mini-embed');
    assert.equal(st.version, '1');
    assert.ok(st.inference_stats.success.count >= 2);
    // Every refused request earlier in this file failed validation, which Triton 2.51 does not count.
    assert.equal(st.inference_stats.fail.count, 0, JSON.stringify(st.inference_stats.fail));
    assert.ok(st.inference_stats.queue.count === st.inference_stats.success.count);
    assert.ok(st.inference_stats.compute_infer.ns > 0);
    assert.ok(st.inference_count >= 3);
    assert.ok(st.execution_count >= 1 && st.execution_count <= st.inference_stats.success.count);
    assert.ok(st.last_inference > Date.now() - 60_000);
    assert.ok(st.batch_stats.some((b) => b.batch_size === 2));
    const all = json(await rawRequest(`${base}/v2/models/stats`)) as { model_stats: Array<{ name: string }> };
    assert.deepEqual(
      all.model_stats.map((m) => m.name),
      ['resnet50', 'mini-embed', 'words'],
    );
  });

  it('serves nv_* metrics on its own port, text/plain; charset=utf-8', async () => {
    const r = await rawRequest(`${metricsBase}/metrics`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    const text = r.body.toString();
    assert.match(text, /# TYPE nv_inference_request_success counter/);
    assert.match(text, /nv_inference_request_success\{model="mini-embed",version="1"\} [1-9]/);
    assert.match(text, /nv_inference_request_failure\{model="mini-embed",reason="OTHER",version="1"\} 0(\.0)?\n/);
    assert.match(text, /nv_inference_count\{model="resnet50",version="1"\}/);
    assert.match(text, /nv_inference_pending_request_count\{model="resnet50",version="1"\} 0/);
    assert.match(text, /nv_cpu_memory_total_bytes [1-9]/);
    assert.doesNotMatch(text, /vllm:|tgi_|^ts_/m);
    assert.equal((await rawRequest(`${base}/metrics`)).status, 404, 'not on the HTTP port');
  });
});
