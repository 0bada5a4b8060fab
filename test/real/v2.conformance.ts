/**
 * KServe v2 / Open Inference Protocol conformance (MLServer, KServe): the same checks against the real server
 * and the embedded Triton personality (the embedded server's v2 implementation), driven by each model's own
 * metadata: probe, the tree's tensors, infer over REST and gRPC, Copy as curl / Python / grpcurl run for real,
 * and `inference-lab bench` (image-classification group over the v2 API, shape from the metadata).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawRecord } from '../../src/core/bench/record';
import type { GrpcWire, HttpWire } from '../../src/core/request/build/wire';
import { createAdapter } from '../../src/core/servers/registry';
import type { ModelMetadata, ServerKind } from '../../src/core/servers/types';
import { configuredServer } from '../../src/core/servers/view/identities';
import {
  checkProbe,
  cli,
  runCopies,
  runGrpcCopies,
  sendTemplate,
  serversTree,
  treeLabels,
  type Target,
} from './conformance';
import type { Outcome } from './vllm.conformance';

async function metadata(t: Target): Promise<ModelMetadata> {
  const j = (await (await fetch(`${t.url}/v2/models/${t.model}`)).json()) as ModelMetadata;
  assert.ok(j.inputs?.length, `${t.url}/v2/models/${t.model} names no inputs`);
  return j;
}

/** The metadata with its first input only (the embedded resnet50 takes one of two alternative inputs). */
const firstInput = (md: ModelMetadata): ModelMetadata => ({ ...md, inputs: md.inputs.slice(0, 1) });

const dims = (shape: number[] | undefined) => `[${(shape ?? []).join(', ')}]`;

export const v2Checks: Record<keyof Outcome, (t: Target, o: Outcome) => Promise<void>> = {
  async probe(t, o) {
    const p = await checkProbe(t);
    o.probe = `${p.kind} ${p.version}`;
  },

  async tree(t, o) {
    const md = await metadata(t);
    const labels = treeLabels(await serversTree(t));
    assert.ok(
      labels.model?.some((m) => m.startsWith(t.model)),
      `models ${JSON.stringify(labels.model)}`,
    );
    // The model's tensors as the server describes them (tensor nodes appear once the model is expanded: the view
    // model fetches metadata lazily, so compare with what the adapter returns for the same model).
    const { config } = configuredServer({
      id: 'real',
      name: t.label,
      url: t.url,
      grpcAddress: t.grpcAddress,
      models: t.models,
    });
    const adapter = createAdapter(t.kind as ServerKind, config);
    const seen = await adapter.modelMetadata(t.model);
    assert.deepEqual(
      seen.inputs.map((x) => [x.name, x.datatype, dims(x.shape)]),
      md.inputs.map((x) => [x.name, x.datatype, dims(x.shape)]),
    );
    assert.deepEqual(
      seen.outputs.map((x) => x.name),
      md.outputs.map((x) => x.name),
    );
    o.tree = `model ${t.model}: inputs ${md.inputs.map((x) => `${x.name} ${x.datatype} ${dims(x.shape)}`).join(', ')}; outputs ${md.outputs.map((x) => x.name).join(', ')}`;
  },

  async request(t, o) {
    const md = await metadata(t);
    const seen: string[] = [];
    for (const kserveTransport of ['rest', 'grpc'] as const) {
      if (kserveTransport === 'grpc' && !t.grpcAddress) continue;
      const { result } = await sendTemplate(t, 'kserve-infer', (d) => ({ ...d, kserveTransport }), firstInput(md));
      assert.equal(result.ok, true, `${kserveTransport}: ${result.error?.message}`);
      const tensors = result.views.find((v) => v.type === 'tensors');
      assert.ok(
        tensors && tensors.type === 'tensors',
        `${kserveTransport}: no tensors view in ${result.views.map((v) => v.type).join(',')}`,
      );
      assert.deepEqual(
        tensors.tensors.map((x) => x.name).sort(),
        md.outputs.map((x) => x.name).sort(),
        `${kserveTransport}: output tensors`,
      );
      seen.push(`${kserveTransport} ${tensors.tensors.map((x) => `${x.name} ${dims(x.shape)}`).join(', ')}`);
    }
    if (t.bytesModel) {
      // Text in, text out: BYTES tensors as JSON strings.
      const bt = { ...t, model: t.bytesModel };
      const bmd = await metadata(bt);
      const { result } = await sendTemplate(
        bt,
        'kserve-infer',
        (d) => ({ ...d, tensors: d.tensors?.map((x) => ({ ...x, data: '["hello real server"]' })) }),
        bmd,
      );
      assert.equal(result.ok, true, `BYTES: ${result.error?.message}`);
      const tensors = result.views.find((v) => v.type === 'tensors');
      assert.ok(tensors && tensors.type === 'tensors');
      assert.deepEqual(tensors.tensors[0].rows.flat(), ['HELLO REAL SERVER'], 'the text model upper-cases its input');
      seen.push(`BYTES ${t.bytesModel}: "hello real server" -> ${JSON.stringify(tensors.tensors[0].rows.flat())}`);
    }
    if (t.kind === 'kserve') {
      // KServe's V1 protocol beside V2 (the embedded server has no V1 endpoint): the raw template, as a user sends it.
      const rows = [Array.from({ length: (md.inputs[0].shape ?? [0, 4]).at(-1)! }, (_, k) => k + 1)];
      const { result } = await sendTemplate(t, 'raw', (d) => ({
        ...d,
        method: 'POST',
        path: `/v1/models/${t.model}:predict`,
        headers: [{ name: 'content-type', value: 'application/json' }],
        body: JSON.stringify({ instances: rows }),
      }));
      assert.equal(result.status, 200, `V1 predict: ${result.error?.message}`);
      const json = result.views.find((v) => v.type === 'json');
      assert.ok(json && json.type === 'json', 'V1 predict: no JSON view');
      const predictions = (JSON.parse(json.text) as { predictions: unknown[] }).predictions;
      assert.equal(predictions.length, 1, `V1 predictions ${json.text}`);
      seen.push(`V1 predict ${JSON.stringify(predictions)}`);
    }
    o.request = seen.join('; ');
  },

  async copyAs(t, o) {
    const md = await metadata(t);
    const { wire } = await sendTemplate(t, 'kserve-infer', (d) => d, firstInput(md));
    const { curl, python } = await runCopies(wire as HttpWire);
    assert.equal(curl.code, 0, `curl: ${curl.stderr}`);
    assert.match(curl.stdout, /"outputs"\s*:/, `curl printed ${curl.stdout.slice(0, 300)}`);
    assert.equal(python.code, 0, `python: ${python.stderr}`);
    assert.match(python.stdout, /^200 application\/json/, `python printed ${python.stdout.slice(0, 300)}`);
    const done = ['curl', 'Python (requests)'];
    if (t.grpcAddress) {
      const g = await sendTemplate(t, 'kserve-infer', (d) => ({ ...d, kserveTransport: 'grpc' }), firstInput(md));
      const r = await runGrpcCopies(g.wire as GrpcWire);
      assert.equal(r.grpcurl.code, 0, `grpcurl: ${r.grpcurl.stderr}`);
      assert.match(r.grpcurl.stdout, /"outputs"/, `grpcurl printed ${r.grpcurl.stdout.slice(0, 300)}`);
      assert.equal(r.python.code, 0, `python gRPC: ${r.python.stderr}`);
      for (const out of md.outputs)
        assert.match(
          r.python.stdout,
          new RegExp(out.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
          `tritonclient printed ${r.python.stdout.slice(0, 300)}`,
        );
      done.push('grpcurl', 'Python (tritonclient.grpc)');
    }
    o.copyAs = done.join(', ');
  },

  async bench(t, o) {
    const md = await metadata(t);
    const shape = (md.inputs[0].shape ?? []).slice(1).map((d) => (d < 0 ? 1 : d));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-bench-'));
    const out = path.join(dir, 'result.json');
    const records = path.join(dir, 'records.jsonl');
    const r = await cli(
      [
        'bench',
        '--url',
        t.url,
        '--group',
        'image-classification',
        '--api',
        'kserve',
        '--model',
        t.model,
        '--shape',
        shape.join(','),
        '--batch-sizes',
        '1,4',
        '--concurrency',
        '2',
        '--requests',
        '10',
        '--warmup',
        '0',
        '--out',
        out,
        '--records',
        records,
        '--quiet',
        '--no-server-metrics',
      ],
      300_000,
    );
    assert.equal(r.code, 0, `bench exited ${r.code}: ${r.stderr}${r.stdout}`);
    const recs = fs
      .readFileSync(records, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RawRecord)
      .filter((x) => x.i !== undefined);
    const ok = recs.filter((x) => x.st === 200 && !x.ek);
    assert.equal(ok.length, 20, `${ok.length}/20 requests succeeded: ${recs.find((x) => x.ek)?.er}`);
    assert.deepEqual([...new Set(ok.map((x) => x.n))].sort(), [1, 4], 'batch sizes sent');
    o.bench = `image-classification over v2 REST, shape [${shape.join(',')}], batch 1 and 4: 20/20 ok`;
    fs.rmSync(dir, { recursive: true, force: true });
  },

  async tokens(_t, o) {
    o.tokens = 'n/a (no text generation)';
  },

  async serverMetrics(_t, o) {
    o.serverMetrics = 'n/a (the bench check runs with --no-server-metrics; server series are checked on vLLM)';
  },

  async capacity(_t, o) {
    o.capacity = 'n/a (the capacity search is checked on vLLM; the image group shares its engine and judge)';
  },
};
