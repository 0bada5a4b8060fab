/**
 * The embedded TF Serving REST personality over raw HTTP: no model listing,
 * status and metadata as protobuf JSON, predict in row and columnar formats
 * with rapidjson's formatting, TF error bodies, metrics, not-ready window.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EmbeddingModel } from '../../../../src/core/embedded/models/embeddingModel';
import { ImageModel } from '../../../../src/core/embedded/models/imageModel';
import { json, pixels, rawRequest, tensorServer } from './helpers';

const server = tensorServer(['tfserving']);
let base = '';
before(async () => void (base = (await server.start()).tfserving));
after(() => server.stop());

const predict = (model: string, body: unknown) =>
  rawRequest(`${base}/v1/models/${model}:predict`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const embed = new EmbeddingModel('mini-embed', 42, 0, undefined, 16);
const f32 = (v: number) => Math.fround(v);

describe('TF Serving status and metadata', () => {
  it('GET /v1/models answers 400 Malformed request (no listing), PrettyWriter-formatted', async () => {
    const r = await rawRequest(`${base}/v1/models`);
    assert.equal(r.status, 400);
    assert.equal(r.body.toString(), '{\n    "error": "Malformed request: GET /v1/models"\n}');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.ok(r.rawHeaderNames.includes('Content-Type'));
  });

  it('model status is protobuf JSON with 1-space indent, string version and a trailing newline', async () => {
    const r = await rawRequest(`${base}/v1/models/resnet50`);
    assert.equal(r.status, 200);
    assert.equal(
      r.body.toString(),
      '{\n "model_version_status": [\n  {\n   "version": "1",\n   "state": "AVAILABLE",\n   "status": {\n    "error_code": "OK",\n    "error_message": ""\n   }\n  }\n ]\n}\n',
    );
    assert.equal(
      (await rawRequest(`${base}/V1/MODELS/resnet50/versions/1`)).status,
      200,
      'paths match case-insensitively',
    );
    const missing = await rawRequest(`${base}/v1/models/nope`);
    assert.equal(missing.status, 404);
    assert.equal((json(missing) as { error: string }).error, 'Could not find any versions of model nope');
  });

  it('metadata has the doubled signature_def key, TF dtypes and string dims, and says simulated', async () => {
    const m = json(await rawRequest(`${base}/v1/models/resnet50/metadata`)) as {
      model_spec: { name: string; version: string };
      metadata: {
        signature_def: {
          signature_def: Record<
            string,
            {
              inputs: Record<string, { dtype: string; tensor_shape: { dim: Array<{ size: string }> } }>;
              outputs: Record<string, { dtype: string }>;
              method_name: string;
            }
          >;
        };
        simulated: { description: string };
      };
    };
    assert.deepEqual(m.model_spec, { name: 'resnet50', signature_name: '', version: '1' });
    const sigs = m.metadata.signature_def.signature_def;
    assert.deepEqual(Object.keys(sigs), ['serving_default', 'serving_bytes']);
    assert.equal(sigs.serving_default.inputs.input.dtype, 'DT_FLOAT');
    assert.deepEqual(
      sigs.serving_default.inputs.input.tensor_shape.dim.map((d) => d.size),
      ['-1', '3', '224', '224'],
    );
    assert.equal(sigs.serving_bytes.inputs.image_bytes.dtype, 'DT_STRING');
    assert.deepEqual(Object.keys(sigs.serving_default.outputs), ['classes', 'labels', 'probabilities']);
    assert.equal(sigs.serving_default.method_name, 'tensorflow/serving/predict');
    assert.match(m.metadata.simulated.description, /Simulated/);
  });
});

describe('TF Serving predict', () => {
  it('row format with one output: predictions is a list of vectors, floats with a decimal point', async () => {
    const r = await predict('mini-embed', { instances: ['hello world', 'hello there'] });
    assert.equal(r.status, 200, r.body.toString());
    const text = r.body.toString();
    assert.match(text, /^\{\n {4}"predictions": \[\[/);
    assert.ok(!text.endsWith('\n'));
    assert.ok(/\b0\.0\b/.test(text) || !embed.embed('hello world').includes(0));
    const p = (json(r) as { predictions: number[][] }).predictions;
    assert.deepEqual(
      p.map((row) => row.map(f32)),
      [Array.from(embed.embed('hello world')), Array.from(embed.embed('hello there'))],
    );
  });

  it('columnar format with one output: outputs holds the values directly', async () => {
    const r = await predict('mini-embed', { inputs: { text: ['abc'] } });
    assert.deepEqual(
      (json(r) as { outputs: number[][] }).outputs.map((row) => row.map(f32)),
      [Array.from(embed.embed('abc'))],
    );
  });

  it('row format with several outputs gives one object per example; columnar gives one entry per output', async () => {
    const img = Buffer.from('jpeg bytes');
    const image = new ImageModel('resnet50', 42, 0);
    const [best] = image.topK(image.classifyImage(img), 1);
    const row = await predict('resnet50', {
      signature_name: 'serving_bytes',
      instances: [{ b64: img.toString('base64') }],
    });
    assert.equal(row.status, 200, row.body.toString());
    assert.match(
      row.body.toString(),
      /^\{\n {4}"predictions": \[\{\n {12}"classes": \d+,\n {12}"labels": "[a-z_]+",\n {12}"probabilities": \[/,
    );
    const p = (json(row) as { predictions: Array<{ classes: number; labels: string; probabilities: number[] }> })
      .predictions[0];
    assert.equal(p.classes, best.index);
    assert.equal(p.labels, best.label);
    assert.ok(Math.abs(p.probabilities[best.index] - best.score) < 1e-6);
    const px = pixels(2, 9);
    const col = await predict('resnet50', {
      inputs: [Array.from(px.subarray(0, 150528)), Array.from(px.subarray(150528))],
    });
    const o = (json(col) as { outputs: { classes: number[]; probabilities: number[][] } }).outputs;
    const logits = image.classifyTensor(px, 2);
    assert.deepEqual(o.classes, [
      image.topK(logits.subarray(0, 1000), 1)[0].index,
      image.topK(logits.subarray(1000), 1)[0].index,
    ]);
    assert.equal(o.probabilities.length, 2);
  });

  it('the text generator answers strings', async () => {
    const r = await predict('tiny-llm', { instances: ['hello'] });
    assert.equal(r.status, 200);
    assert.equal(typeof (json(r) as { predictions: string[] }).predictions[0], 'string');
  });

  it('errors: TF messages and statuses in {"error": …}', async () => {
    const cases: Array<[string, string, number, RegExp]> = [
      ['nope', '{"instances":[1]}', 404, /^Servable not found for request: Latest\(nope\)$/],
      ['mini-embed', '{"instances":', 400, /^JSON Parse error: .+ at offset: 13$/],
      ['mini-embed', '{"foo":1}', 400, /^Missing 'inputs' or 'instances' key$/],
      [
        'mini-embed',
        '{"signature_name":"x","instances":["a"]}',
        400,
        /^Serving signature name: "x" not found in signature def$/,
      ],
      ['mini-embed', '{"instances":[3]}', 400, /Input 'text' \(example 0\) must be a string/],
      ['resnet50', '{"instances":[[1,2,3]]}', 400, /must hold 150528 numbers .* got 3 values/],
    ];
    for (const [model, body, status, re] of cases) {
      const r = await predict(model, body);
      assert.equal(r.status, status, `${model} ${body}: ${r.body}`);
      assert.match((json(r) as { error: string }).error, re);
      assert.match(r.body.toString(), /^\{\n {4}"error": /);
    }
    const v2 = await rawRequest(`${base}/v1/models/mini-embed/versions/2:predict`, {
      method: 'POST',
      body: '{"instances":["a"]}',
    });
    assert.equal(v2.status, 404);
    assert.equal((json(v2) as { error: string }).error, 'Servable not found for request: Specific(mini-embed, 2)');
    const classify = await rawRequest(`${base}/v1/models/mini-embed:classify`, {
      method: 'POST',
      body: '{"examples":[]}',
    });
    assert.equal(classify.status, 400);
    assert.equal(
      (await rawRequest(`${base}/v1/models/mini-embed:predict`)).status,
      400,
      'GET on :predict is malformed',
    );
  });

  it('serves :tensorflow:serving:* metrics at the monitoring path', async () => {
    const r = await rawRequest(`${base}/monitoring/prometheus/metrics`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.match(r.body.toString(), /^:tensorflow:serving:request_count\{model_name="mini-embed",status="OK"\} [1-9]/m);
    assert.match(
      r.body.toString(),
      /^:tensorflow:serving:request_latency_bucket\{model_name="mini-embed",API="predict",entrypoint="REST",le="10\.0"\}/m,
    );
  });
});

describe('TF Serving not-ready window', () => {
  it('status shows LOADING and predict answers 503', async () => {
    const s = tensorServer(['tfserving'], { faults: { notReadyMs: 60_000 } });
    const url = (await s.start()).tfserving;
    try {
      const st = json(await rawRequest(`${url}/v1/models/mini-embed`)) as {
        model_version_status: Array<{ state: string }>;
      };
      assert.equal(st.model_version_status[0].state, 'LOADING');
      const p = await rawRequest(`${url}/v1/models/mini-embed:predict`, {
        method: 'POST',
        body: '{"instances":["a"]}',
      });
      assert.equal(p.status, 503);
    } finally {
      await s.stop();
    }
  });
});
