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
import { readRawSeries } from '../../src/core/bench/serverMetrics/rawSeries';
import type { ServerMetricsResult } from '../../src/core/bench/serverMetrics/types';
import { assertScraped, rawDelta, serverSeries, type ScrapedRun } from './serverSeries';
import type { GrpcWire, HttpWire } from '../../src/core/request/build/wire';
import { createAdapter } from '../../src/core/servers/registry';
import type { ModelMetadata, ServerKind } from '../../src/core/servers/types';
import { configuredServer } from '../../src/core/servers/view/identities';
import { loadMetadata, draftFor } from '../../src/core/request/drafts';
import type { RequestServers } from '../../src/core/request/requestServers';
import { buildWire } from '../../src/core/request/build/build';
import { executeWire } from '../../src/core/request/transport/execute';
import type { RequestDraft } from '../../src/shared/request';
import { encodeGrpcInputs } from '../../src/core/kserve/grpcTensors';
import { createInferenceClient } from '../../src/core/proto/grpcInference';
import type { InferParameters, ModelStreamInferResponse } from '../../src/core/proto/inferenceTypes';
import {
  buildContext as ctx,
  checkProbe,
  cli,
  requestTarget,
  runCopies,
  runGrpcCopies,
  sendTemplate,
  serversTree,
  treeLabels,
  treeModelTarget,
  type Target,
} from './conformance';
import { defaultDraft } from '../../src/core/request/build/templates';
import type { Outcome } from './vllm.conformance';

async function metadata(t: Target): Promise<ModelMetadata> {
  const j = (await (await fetch(`${t.url}/v2/models/${t.model}`)).json()) as ModelMetadata;
  assert.ok(j.inputs?.length, `${t.url}/v2/models/${t.model} names no inputs`);
  return j;
}

/** The metadata with its first input only (the embedded resnet50 takes one of two alternative inputs). */
const firstInput = (md: ModelMetadata): ModelMetadata => ({ ...md, inputs: md.inputs.slice(0, 1) });

/** Output tensors: names, shapes and rows. */
const tensorsOf = (r: Awaited<ReturnType<typeof executeWire>>) => {
  const v = r.views.find((x) => x.type === 'tensors');
  assert.ok(v && v.type === 'tensors', `no tensors: ${r.error?.message} ${r.views.map((x) => x.type).join(',')}`);
  return v.tensors.map((x) => ({ name: x.name, shape: x.shape, cells: x.rows.flat() }));
};

/** Equal tensors; numbers within 1e-6 (relative): REST's JSON decimals vs gRPC's raw FP32 of the same values. */
function assertSameTensors(a: ReturnType<typeof tensorsOf>, b: ReturnType<typeof tensorsOf>, what: string): void {
  assert.deepEqual(
    a.map((x) => [x.name, x.shape, x.cells.length]),
    b.map((x) => [x.name, x.shape, x.cells.length]),
    what,
  );
  a.forEach((x, i) =>
    x.cells.forEach((c, k) => {
      const d = b[i].cells[k];
      if (typeof c === 'number' && typeof d === 'number')
        assert.ok(Math.abs(c - d) <= 1e-6 * Math.max(1, Math.abs(c)), `${what}: ${x.name}[${k}] ${c} vs ${d}`);
      else assert.equal(c, d, `${what}: ${x.name}[${k}]`);
    }),
  );
}

/**
 * The server added by its HTTP URL only (no gRPC address): the probe finds gRPC at the HTTP port + 1 (where this
 * server has it), the tree's Endpoints show it, and New Request on the model sends over it: the same first draft
 * gives the same output tensors over gRPC as over REST.
 */
async function addedByUrl(t: Target, md: ModelMetadata): Promise<string> {
  assert.ok(t.grpcAddress, 'the target has a gRPC address');
  const root = await serversTree({ ...t, grpcAddress: undefined });
  const endpoints = treeLabels(root).endpoint ?? [];
  const seen = `gRPC = ${t.grpcAddress} · live, ready · found at the HTTP port + 1`;
  assert.ok(endpoints.includes(seen), `endpoints ${JSON.stringify(endpoints)}`);
  const target = treeModelTarget(root, t.model);
  assert.equal(target.grpcAddress, t.grpcAddress);
  const draft = defaultDraft('kserve-infer', target, firstInput(md));
  const rest = await executeWire(await buildWire(draft, target, ctx));
  const grpcWire = await buildWire({ ...draft, kserveTransport: 'grpc' }, target, ctx);
  assert.equal((grpcWire as GrpcWire).address, t.grpcAddress);
  const grpc = await executeWire(grpcWire);
  assertSameTensors(tensorsOf(grpc), tensorsOf(rest), 'gRPC (derived address) vs REST');
  return `added by URL: gRPC found at ${t.grpcAddress} (HTTP port + 1), its infer equal to REST's`;
}

/** Each Triton target's bench run: its server series and the raw file read back (checked in serverMetrics). */
const benchMetrics = new Map<string, ScrapedRun>();

const dims = (shape: number[] | undefined) => `[${(shape ?? []).join(', ')}]`;

/** The Prometheus counters of `model` the decoupled check moves (the success and OTHER-failure counters). */
async function modelCounters(t: Target, model: string): Promise<{ success: number; failures: number }> {
  assert.ok(t.metricsUrl, 'no metrics URL');
  const text = await (await fetch(t.metricsUrl)).text();
  const read = (family: string, labels: string) =>
    Number(new RegExp(`^${family}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    success: read('nv_inference_request_success', `model="${model}",version="1"`),
    failures: ['OTHER', 'BACKEND', 'CANCELED', 'REJECTED']
      .map((r) => read('nv_inference_request_failure', `model="${model}",reason="${r}",version="1"`))
      .reduce((a, b) => a + b, 0),
  };
}

/**
 * A decoupled (streaming) model as the request panel meets it: the first draft streams over gRPC (the model's config
 * says decoupled), and every ModelStreamInfer response shows its own tensors, equal to what the model produced (one
 * response per word: the word and its index). REST infer and unary ModelInfer are refused with the server's message.
 * On the wire: no response is final, and the empty final response (model name and id only) comes only when asked.
 * The stream requests count as successes and the refusals as nothing.
 */
async function decoupledStream(t: Target, model: string): Promise<string> {
  const st = { ...t, model };
  const counted = await modelCounters(t, model);
  const target = requestTarget(st);
  const adapter = createAdapter(
    t.kind as ServerKind,
    configuredServer({ id: 'real', name: t.label, url: t.url, grpcAddress: t.grpcAddress, models: t.models }).config,
  );
  const servers = { metadata: (_k: string, m: string) => adapter.modelMetadata(m) } as unknown as RequestServers;
  const { metadata, metadataError } = await loadMetadata(servers, 'real', target);
  assert.ok(metadata, `metadata of ${model}: ${metadataError}`);
  assert.equal(metadata.properties.decoupled, true, 'the model config says decoupled');
  const { draft } = draftFor(target, undefined, metadata);
  assert.equal(draft.kserveTransport, 'grpc-stream', 'the first draft of a decoupled model streams over gRPC');
  const text = 'hello real triton streaming';
  const words = text.split(' ').map((w, i) => (i ? ` ${w}` : w));
  const edit = (d: RequestDraft): RequestDraft => ({
    ...d,
    tensors: d.tensors?.map((x) => ({ ...x, data: JSON.stringify([text]) })),
  });
  const result = await executeWire(await buildWire(edit(draft), target, ctx), { firstByteTimeoutMs: 120_000 });
  assert.equal(result.ok, true, `ModelStreamInfer: ${result.error?.message}`);
  const messages = result.views.find((v) => v.type === 'messages');
  assert.ok(messages && messages.type === 'messages', 'no messages view');
  type Out = { name: string; datatype: string; shape: number[]; data: unknown[] };
  const got = messages.items.map((m) => {
    const r = JSON.parse(m.data) as { infer_response: { outputs: Out[] } };
    return Object.fromEntries(r.infer_response.outputs.map((o) => [o.name, [o.datatype, o.shape, o.data]]));
  });
  assert.deepEqual(
    got,
    words.map((w, i) => ({ word: ['BYTES', [1], [w]], index: ['INT32', [1], [i]] })),
    'each streamed response carries its own word and index',
  );
  const generation = result.views.find((v) => v.type === 'generation');
  assert.equal(generation?.type === 'generation' && generation.text, text, 'the BYTES pieces joined');
  assert.equal(result.stream?.tokenCount, words.length);
  // The other transports, as the user may pick them: the server's own refusal, shown as it is.
  const rest = await executeWire(await buildWire({ ...edit(draft), kserveTransport: 'rest' }, target, ctx));
  assert.equal(rest.status, 501, `REST infer of a decoupled model: ${rest.status} ${rest.error?.message}`);
  assert.match(rest.error?.message ?? '', /doesn't support models with decoupled transaction policy/);
  const unary = await executeWire(await buildWire({ ...edit(draft), kserveTransport: 'grpc' }, target, ctx));
  assert.match(unary.error?.message ?? '', /UNIMPLEMENTED.*ModelInfer RPC doesn't support models with decoupled/);
  // The final flag, straight on the wire, without and with triton_enable_empty_final_response.
  const client = createInferenceClient(t.grpcAddress!, { deadlineMs: 120_000 });
  const collect = async (parameters?: InferParameters) => {
    const out: ModelStreamInferResponse[] = [];
    const inputs = encodeGrpcInputs([{ name: 'text', datatype: 'BYTES', shape: [1], values: [Buffer.from(text)] }]);
    for await (const r of client.modelStreamInfer([{ model_name: model, id: 'w1', parameters, ...inputs }]))
      out.push(r);
    return out.map((r) => {
      assert.equal(r.error_message, '', r.error_message);
      const res = r.infer_response!;
      const final = res.parameters?.triton_final_response?.bool_param;
      return [res.model_name, res.model_version, res.id, res.outputs.length, final];
    });
  };
  try {
    const each = words.map(() => [model, '1', 'w1', 2, false]);
    assert.deepEqual(await collect(), each, 'without asking: one response per word, none final, no final response');
    assert.deepEqual(
      await collect({ triton_enable_empty_final_response: { bool_param: true } }),
      [...each, [model, '', 'w1', 0, true]],
      'asked: the empty final response after the words, with the model name and id only',
    );
  } finally {
    client.close();
  }
  // The panel's stream and the two above are 3 successes; the REST and ModelInfer refusals count nowhere.
  let now = await modelCounters(t, model);
  for (let i = 0; i < 20 && now.success < counted.success + 3; i++) {
    await new Promise((r) => setTimeout(r, 250));
    now = await modelCounters(t, model);
  }
  assert.deepEqual(now, { success: counted.success + 3, failures: counted.failures }, 'nv_inference_request_*');
  return `decoupled ${model}: ${got.length} streamed responses ${JSON.stringify(got.map((g) => (g.word as unknown[])[2]))}, TTFT ${result.stream?.ttftMs} ms; no final flag unless asked, then the empty final response; REST 501, ModelInfer UNIMPLEMENTED; nv_inference_request_success +3, failures +0`;
}

/**
 * Bad requests as Triton 2.51 refuses them, the same on both targets: unknown models and versions (404, an infer's
 * labelled text/plain; readiness 400 "Model version not ready"; gRPC NOT_FOUND and `ready: false`), the checks of a
 * request's inputs and outputs in the real one's order and words, a body that is not JSON (500), and no failure
 * counted for any of them.
 */
async function refusals(t: Target, model: string): Promise<string> {
  const before = await modelCounters(t, model);
  const text = (name: string) => ({ name, datatype: 'BYTES', shape: [1, 1], data: ['a'] });
  const body = (o: unknown) => JSON.stringify(o);
  const unknown = (m: string, v?: string) =>
    body({ error: `Request for unknown model: '${m}'${v ? ` version ${v}` : ''} is not found` });
  const rid = '[request id: <id_unknown>] ';
  const cases: Array<[string, string | undefined, number, string, string | RegExp]> = [
    ['/v2/models/nope', undefined, 404, 'application/json', unknown('nope')],
    ['/v2/models/nope/ready', undefined, 400, 'text/plain', body({ error: 'Model version not ready' })],
    ['/v2/models/nope/infer', body({ inputs: [] }), 404, 'text/plain', unknown('nope')],
    [`/v2/models/${model}/versions/7/infer`, body({ inputs: [] }), 404, 'text/plain', unknown(model, '7')],
    [
      `/v2/models/${model}/infer`,
      body({ inputs: [text('text'), text('text')] }),
      400,
      'application/json',
      body({ error: `${rid}input 'text' already exists in request` }),
    ],
    [
      `/v2/models/${model}/infer`,
      body({ inputs: [text('text'), text('nope')] }),
      400,
      'application/json',
      body({
        error: `${rid}expected 1 inputs but got 2 inputs for model '${model}'. Got input(s) ['nope','text'], but missing required input(s) ]. Please provide all required input(s).`,
      }),
    ],
    [
      `/v2/models/${model}/infer`,
      body({ inputs: [] }),
      400,
      'application/json',
      body({
        error: `${rid}expected 1 inputs but got 0 inputs for model '${model}'. Got input(s) [], but missing required input(s) ['text']. Please provide all required input(s).`,
      }),
    ],
    [
      `/v2/models/${model}/infer`,
      body({ inputs: [text('nope')] }),
      400,
      'application/json',
      body({ error: `unexpected inference input 'nope' for model '${model}'` }),
    ],
    [
      `/v2/models/${model}/infer`,
      body({ inputs: [text('text')], outputs: [{ name: 'zzz' }] }),
      400,
      'application/json',
      body({ error: `unexpected inference output 'zzz' for model '${model}'` }),
    ],
    [
      `/v2/models/${model}/infer`,
      '{bad',
      500,
      'application/json',
      /^\{"error":"failed to parse the request JSON buffer: /,
    ],
  ];
  for (const [p, payload, status, type, expected] of cases) {
    const res = await fetch(t.url + p, payload === undefined ? {} : { method: 'POST', body: payload });
    const got = await res.text();
    assert.deepEqual([res.status, res.headers.get('content-type')], [status, type], `${p} ${payload ?? ''}: ${got}`);
    if (typeof expected === 'string') assert.equal(got, expected, p);
    else assert.match(got, expected, p);
  }
  const client = createInferenceClient(t.grpcAddress!, { deadlineMs: 60_000 });
  try {
    await assert.rejects(client.modelMetadata({ name: 'nope' }), (e: Error) =>
      /NOT_FOUND \(5\).*Request for unknown model: 'nope' is not found/.test(e.message),
    );
    assert.deepEqual(await client.modelReady({ name: 'nope' }), { ready: false });
  } finally {
    client.close();
  }
  assert.deepEqual(await modelCounters(t, model), before, `${model}'s success and failure counters`);
  return `${cases.length} REST refusals and 2 gRPC answers as Triton 2.51's, no failure counted`;
}

/**
 * A Triton model that is not decoupled, over ModelStreamInfer with `triton_enable_empty_final_response`: one
 * response with its outputs, final itself, and no empty final response after it (as Triton 2.51 answers).
 */
async function oneFinalResponse(t: Target, md: ModelMetadata): Promise<string> {
  const input = md.inputs[0];
  assert.equal(input.datatype, 'FP32', `${t.model}'s first input`);
  const shape = (input.shape ?? []).map((d) => (d < 0 ? 1 : d));
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const client = createInferenceClient(t.grpcAddress!, { deadlineMs: 120_000 });
  const got: ModelStreamInferResponse[] = [];
  try {
    const inputs = encodeGrpcInputs([{ name: input.name, datatype: 'FP32', shape, values }]);
    const parameters = { triton_enable_empty_final_response: { bool_param: true } };
    for await (const r of client.modelStreamInfer([{ model_name: t.model, id: 's1', parameters, ...inputs }]))
      got.push(r);
  } finally {
    client.close();
  }
  assert.deepEqual(
    got.map((r) => [
      r.error_message,
      r.infer_response?.id,
      r.infer_response?.outputs.map((o) => o.name),
      r.infer_response?.parameters?.triton_final_response?.bool_param,
    ]),
    [['', 's1', md.outputs.map((o) => o.name), true]],
    'one response, final itself',
  );
  return `ModelStreamInfer ${t.model} asking for the empty final response: 1 response, final itself`;
}

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
    o.tree = `model ${t.model}: inputs ${md.inputs.map((x) => `${x.name} ${x.datatype} ${dims(x.shape)}`).join(', ')}; outputs ${md.outputs.map((x) => x.name).join(', ')}; ${await addedByUrl(t, md)}`;
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
    if (t.kind === 'triton' && t.grpcAddress) seen.push(await oneFinalResponse(t, md));
    if (t.streamModel) seen.push(await decoupledStream(t, t.streamModel));
    if (t.refusalModel) seen.push(await refusals(t, t.refusalModel));
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
        // Triton: scrape its metrics port (checked in serverMetrics); the other v2 servers: no series checked.
        ...(t.kind === 'triton' ? (t.metricsUrl ? ['--server-metrics', t.metricsUrl] : []) : ['--no-server-metrics']),
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
    if (t.kind === 'triton') {
      const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { serverMetrics?: ServerMetricsResult };
      const sm = result.serverMetrics;
      benchMetrics.set(t.label, { sm, raw: sm?.rawPath ? await readRawSeries(sm.rawPath) : undefined });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  },

  async tokens(_t, o) {
    o.tokens = 'n/a (no text generation)';
  },

  /**
   * Triton: the bench run's series from its metrics port, per model, with values: 10 requests of batch 1 and 10 of
   * batch 4 to the benchmarked model move its success counter by 20 and its inference count by 50, nothing else.
   */
  async serverMetrics(t, o) {
    if (t.kind !== 'triton') {
      o.serverMetrics = 'n/a (the bench check runs with --no-server-metrics; series are checked on vLLM and Triton)';
      return;
    }
    const b = benchMetrics.get(t.label);
    assert.ok(b, 'the bench check did not run');
    const { sm, raw } = b;
    const u = new URL(t.url);
    assertScraped(sm, t.metricsUrl ?? `${u.protocol}//${u.hostname}:${Number(u.port) + 2}/metrics`);
    const { series, integral } = serverSeries(sm);
    for (const [key, name] of Object.entries({
      requestsWaiting: 'nv_inference_pending_request_count',
      requestsPerSec: 'nv_inference_request_success',
      failuresPerSec: 'nv_inference_request_failure',
      batchSize: 'nv_inference_count',
      queueTimeMean: 'nv_inference_queue_duration_us',
      e2eMean: 'nv_inference_request_duration_us',
    }))
      assert.equal(series(key).source, name, `${key} read from ${series(key).source}`);
    for (const [key, name] of Object.entries({
      tritonRequestsPerSec: 'nv_inference_request_success',
      tritonInferencesPerSec: 'nv_inference_count',
      tritonExecutionsPerSec: 'nv_inference_exec_count',
      tritonQueueMs: 'nv_inference_queue_duration_us',
      tritonComputeInputMs: 'nv_inference_compute_input_duration_us',
      tritonComputeInferMs: 'nv_inference_compute_infer_duration_us',
      tritonComputeOutputMs: 'nv_inference_compute_output_duration_us',
      tritonRequestMs: 'nv_inference_request_duration_us',
    }))
      assert.equal(series(key, t.model).source, name, `${key}[${t.model}] read from ${series(key, t.model).source}`);
    // A rate integrated over the run's intervals gives the counter's Δ: the requests and batch items sent.
    const near = (x: number) => Math.round(x * 1000) / 1000;
    assert.equal(integral('tritonRequestsPerSec', t.model), 20, 'requests counted by the server');
    assert.equal(integral('tritonInferencesPerSec', t.model), 10 * 1 + 10 * 4, 'batch items counted');
    assert.equal(integral('requestsPerSec'), 20, 'requests over every model');
    assert.equal(integral('failuresPerSec'), 0, 'failures');
    const execs = integral('tritonExecutionsPerSec', t.model);
    assert.ok(execs >= Math.ceil(50 / 8) && execs <= 20, `${execs} executions for 20 requests (max batch 8)`);
    // The raw counters say the same, straight from the exposition text (first and last reading).
    const delta = (name: string) => rawDelta(raw, name, `model="${t.model}"`);
    assert.equal(delta('nv_inference_request_success'), 20, 'Δ nv_inference_request_success');
    assert.equal(delta('nv_inference_count'), 50, 'Δ nv_inference_count');
    // Queue + compute input/infer/output fit inside the request duration, interval by interval.
    const parts = ['tritonQueueMs', 'tritonComputeInputMs', 'tritonComputeInferMs', 'tritonComputeOutputMs'].map(
      (k) => series(k, t.model).values,
    );
    const whole = series('tritonRequestMs', t.model).values;
    let intervals = 0;
    whole.forEach((w, i) => {
      if (w === null) return;
      intervals++;
      const sum = parts.reduce((a, p) => a + (p[i] ?? 0), 0);
      assert.ok(
        sum <= w + 0.001 && sum > 0,
        `interval ${i}: queue + compute ${sum.toFixed(3)} ms vs request ${w.toFixed(3)} ms`,
      );
    });
    assert.ok(intervals >= 1, 'no interval with requests');
    const rate = sm.crossChecks.find((c) => c.key === 'requestRate');
    assert.ok(rate?.ok && near(rate.server) === near(rate.client), JSON.stringify(rate));
    o.serverMetrics = `${sm.scrapes.ok} scrapes of ${sm.url}, ${sm.server.series.length} series; ${t.model}: Δrequests 20, Δinferences 50, ${execs} executions, queue ${series(
      'tritonQueueMs',
      t.model,
    )
      .values.find((v) => v !== null)
      ?.toFixed(2)} ms of ${whole.find((v) => v !== null)?.toFixed(2)} ms`;
  },

  async capacity(_t, o) {
    o.capacity = 'n/a (the capacity search is checked on vLLM; the image group shares its engine and judge)';
  },

  async sharedPrefix(_t, o) {
    o.sharedPrefix = 'n/a (text generation: checked on vLLM)';
  },

  async multiTurn(_t, o) {
    o.multiTurn = 'n/a (text generation: checked on vLLM)';
  },

  async trace(_t, o) {
    o.trace = 'n/a (text generation: checked on vLLM)';
  },
};
