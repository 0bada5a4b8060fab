/**
 * The embedded TorchServe over raw HTTP: inference, management and metrics
 * ports, Gson and Python JSON framing, `{"code","type","message"}` errors,
 * one chunk per token when streaming, token auth and the not-ready window.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EmbeddingModel } from '../../../../src/core/embedded/models/embeddingModel';
import { ImageModel } from '../../../../src/core/embedded/models/imageModel';
import { TextModel } from '../../../../src/core/embedded/models/textModel';
import { syntheticPng } from '../../../../src/core/bench/workload/imageWorkload';
import { json, pixels, rawChunked, rawRequest, tensorServer } from './helpers';

const server = tensorServer(['torchserve']);
let ep: Record<string, string> = {};
before(async () => void (ep = await server.start()));
after(() => server.stop());

const image = new ImageModel('resnet50', 42, 0);
const top5 = (logits: Float32Array) => Object.fromEntries(image.topK(logits, 5).map((t) => [t.label, t.score]));

describe('TorchServe inference API', () => {
  it('GET /ping is Gson-pretty with a trailing newline, lower-case headers and an x-request-id', async () => {
    const r = await rawRequest(`${ep.torchserve}/ping`);
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), '{\n  "status": "Healthy"\n}\n');
    assert.ok(
      r.rawHeaderNames.includes('content-type') && r.rawHeaderNames.includes('x-request-id'),
      r.rawHeaderNames.join(),
    );
    assert.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.ok(!r.rawHeaderNames.some((h) => h.toLowerCase() === 'date'));
  });

  it('GET /api-description and OPTIONS / carry the release in info.version, as TorchServe 0.12.0 answers', async () => {
    for (const method of ['GET', 'OPTIONS']) {
      const r = await rawRequest(`${ep.torchserve}${method === 'GET' ? '/api-description' : '/'}`, { method });
      assert.equal(r.status, 200);
      const d = json(r) as { openapi: string; info: { title: string; version: string } };
      assert.deepEqual([d.openapi, d.info.title, d.info.version], ['3.0.1', 'TorchServe APIs', '0.12.0']);
    }
  });

  it('bytes that are no image fail in the handler: 503 InternalServerException "Prediction failed", as the real one', async () => {
    for (const body of [Buffer.from('pretend this is a jpeg'), JSON.stringify({ data: 'Inference Lab test input' })]) {
      const r = await rawRequest(`${ep.torchserve}/predictions/resnet50`, {
        method: 'POST',
        body,
        headers: typeof body === 'string' ? { 'content-type': 'application/json' } : {},
      });
      assert.equal(r.status, 503, r.body.toString());
      assert.deepEqual(json(r), { code: 503, type: 'InternalServerException', message: 'Prediction failed' });
    }
  });

  it('classifies raw image bytes (POST or PUT) into Python-formatted top-5 {label: probability}, with no content-type', async () => {
    const img = syntheticPng(8, 8, 1);
    for (const method of ['POST', 'PUT']) {
      const r = await rawRequest(`${ep.torchserve}/predictions/resnet50`, { method, body: img });
      assert.equal(r.status, 200, r.body.toString());
      assert.equal(r.headers['content-type'], undefined);
      assert.deepEqual(json(r), top5(image.classifyImage(img)));
      assert.match(r.body.toString(), /^\{\n {2}"[a-z]+_[a-z]+": 0\.\d+,\n/);
      assert.ok(!r.body.toString().endsWith('\n'), 'json.dumps adds no newline');
    }
  });

  it('reads the "data" field of a multipart form, base64 JSON and FP32 pixel JSON', async () => {
    const img = syntheticPng(4, 4, 2);
    const boundary = 'XyZ';
    const form = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="data"; filename="k.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      img,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const m = await rawRequest(`${ep.torchserve}/predictions/resnet50`, {
      method: 'POST',
      body: form,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.deepEqual(json(m), top5(image.classifyImage(img)));
    const b64 = await rawRequest(`${ep.torchserve}/predictions/resnet50`, {
      method: 'POST',
      body: JSON.stringify({ data: img.toString('base64') }),
      headers: { 'content-type': 'application/json' },
    });
    assert.deepEqual(json(b64), top5(image.classifyImage(img)));
    const px = pixels(1, 5);
    const t = await rawRequest(`${ep.torchserve}/predictions/resnet50`, {
      method: 'POST',
      body: JSON.stringify({ data: Array.from(px) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.deepEqual(json(t), top5(image.classifyTensor(px, 1)));
  });

  it('embeds text with a versioned path; floats print as Python does (0.0)', async () => {
    const r = await rawRequest(`${ep.torchserve}/predictions/mini-embed/1.0`, { method: 'POST', body: 'hello world' });
    assert.equal(r.status, 200);
    const expected = new EmbeddingModel('mini-embed', 42, 0, undefined, 16).embed('hello world');
    assert.deepEqual(json(r), Array.from(expected));
    if (expected.includes(0)) assert.match(r.body.toString(), /\n {2}0\.0,?\n/);
  });

  it('streams a generation as one HTTP chunk per token, with no delimiter', async () => {
    const { head, chunks } = await rawChunked(
      `${ep.torchserve}/predictions/tiny-llm`,
      'POST',
      JSON.stringify({ prompt: 'tell me about batching', max_new_tokens: 6 }),
      { 'content-type': 'application/json' },
    );
    assert.match(head, /^HTTP\/1\.1 200/);
    assert.match(head, /\r\ntransfer-encoding: chunked/i);
    const expected = new TextModel('tiny-llm', 42, 0).generate('tell me about batching', { maxTokens: 6 });
    assert.deepEqual(chunks, expected.pieces);
  });

  it('errors use {"code","type","message"} with TorchServe statuses', async () => {
    const cases: Array<[string, string, number, string, string]> = [
      ['POST', '/predictions/nope', 404, 'ModelNotFoundException', 'Model not found: nope'],
      [
        'POST',
        '/predictions/resnet50/2.0',
        404,
        'ModelVersionNotFoundException',
        'Model version: 2.0 does not exist for model: resnet50',
      ],
      [
        'GET',
        '/nothing/here',
        404,
        'ResourceNotFoundException',
        'Requested resource is not found, please refer to API document.',
      ],
      [
        'DELETE',
        '/ping',
        405,
        'MethodNotAllowedException',
        'Requested method is not allowed, please refer to API document.',
      ],
    ];
    for (const [method, path, code, type, message] of cases) {
      const r = await rawRequest(ep.torchserve + path, { method, body: 'x' });
      assert.equal(r.status, code, path);
      assert.equal(r.body.toString(), `{\n  "code": ${code},\n  "type": "${type}",\n  "message": "${message}"\n}\n`);
    }
    const empty = await rawRequest(`${ep.torchserve}/predictions/resnet50`, { method: 'POST', body: '' });
    assert.equal(empty.status, 400);
    assert.equal((json(empty) as { type: string }).type, 'BadRequestException');
  });
});

describe('TorchServe management and metrics APIs', () => {
  it('GET /models pages with nextPageToken only while more remain', async () => {
    const first = json(await rawRequest(`${ep.torchserveManagement}/models?limit=2`));
    assert.deepEqual(first, {
      nextPageToken: '2',
      models: [
        { modelName: 'resnet50', modelUrl: 'resnet50.mar' },
        { modelName: 'mini-embed', modelUrl: 'mini-embed.mar' },
      ],
    });
    assert.deepEqual(json(await rawRequest(`${ep.torchserveManagement}/models?limit=2&next_page_token=2`)), {
      models: [{ modelName: 'tiny-llm', modelUrl: 'tiny-llm.mar' }],
    });
  });

  it('GET /models/{m} describes as an array with workers, queue status and simulated metadata', async () => {
    const r = await rawRequest(`${ep.torchserveManagement}/models/resnet50`);
    const [d] = json(r) as Array<Record<string, unknown>>;
    assert.equal(d.modelName, 'resnet50');
    assert.equal(d.modelVersion, '1.0');
    assert.equal(d.batchSize, 8);
    assert.deepEqual(
      (d.workers as Array<{ status: string }>).map((w) => w.status),
      ['READY'],
    );
    assert.deepEqual(d.jobQueueStatus, { remainingCapacity: 1000, pendingRequests: 0 });
    assert.equal(JSON.parse(d.customizedMetadata as string).simulated, true);
    assert.equal((await rawRequest(`${ep.torchserveManagement}/models/resnet50/all`)).status, 200);
    assert.equal((await rawRequest(`${ep.torchserveManagement}/models/nope`)).status, 404);
    assert.equal((await rawRequest(`${ep.torchserveManagement}/models`, { method: 'POST', body: '' })).status, 405);
  });

  it('metrics: ts_* counters with trailing commas in label sets, Java client content type', async () => {
    const r = await rawRequest(`${ep.torchserveMetrics}/metrics`);
    assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const text = r.body.toString();
    assert.match(
      text,
      /^ts_inference_requests_total\{model_name="resnet50",model_version="default",hostname="[^"]+",\} [1-9]/m,
    );
    // A versioned URL counts under its version; an unversioned one under "default" (TorchServe 0.12.0).
    assert.match(text, /^ts_inference_requests_total\{model_name="mini-embed",model_version="1\.0",/m);
    assert.match(text, /^ts_inference_latency_microseconds\{model_name="mini-embed",/m);
    assert.match(text, /^ts_queue_latency_microseconds\{model_name="tiny-llm",/m);
    const only = (
      await rawRequest(`${ep.torchserveMetrics}/metrics?name[]=ts_queue_latency_microseconds`)
    ).body.toString();
    assert.ok(only.includes('ts_queue_latency_microseconds') && !only.includes('ts_inference_requests_total'));
  });
});

describe('TorchServe token auth and not-ready window', () => {
  it('a missing or wrong token is a 400 InvalidKeyException; /ping stays open', async () => {
    const s = tensorServer(['torchserve'], { personalities: { torchserve: { apiKey: 'k-123' } } });
    const e = await s.start();
    try {
      const bad = await rawRequest(`${e.torchserve}/predictions/mini-embed`, {
        method: 'POST',
        body: 'x',
        headers: { authorization: 'Bearer nope' },
      });
      assert.equal(bad.status, 400);
      assert.equal((json(bad) as { type: string }).type, 'InvalidKeyException');
      assert.ok(!bad.body.toString().includes('k-123'));
      assert.equal((await rawRequest(`${e.torchserveManagement}/models`)).status, 400);
      assert.equal(
        (
          await rawRequest(`${e.torchserve}/predictions/mini-embed`, {
            method: 'POST',
            body: 'x',
            headers: { authorization: 'Bearer k-123' },
          })
        ).status,
        200,
      );
      assert.equal((await rawRequest(`${e.torchserve}/ping`)).status, 200);
    } finally {
      await s.stop();
    }
  });

  it('during the not-ready window /ping is 500 Unhealthy and predictions 503 with no worker', async () => {
    const s = tensorServer(['torchserve'], { faults: { notReadyMs: 60_000 } });
    const e = await s.start();
    try {
      const ping = await rawRequest(`${e.torchserve}/ping`);
      assert.equal(ping.status, 500);
      assert.equal(ping.body.toString(), '{\n  "status": "Unhealthy"\n}\n');
      const p = await rawRequest(`${e.torchserve}/predictions/resnet50`, { method: 'POST', body: 'x' });
      assert.equal(p.status, 503);
      assert.match(
        (json(p) as { message: string }).message,
        /^Model "resnet50" has no worker to serve inference request/,
      );
      const [d] = json(await rawRequest(`${e.torchserveManagement}/models/resnet50`)) as Array<{
        workers: Array<{ status: string }>;
      }>;
      assert.equal(d.workers[0].status, 'STARTING');
    } finally {
      await s.stop();
    }
  });
});
