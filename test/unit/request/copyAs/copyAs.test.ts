// "Copy as …": the copied commands and programs run against real peers (the
// embedded server, the KServe peer) with curl, python3 and tsx, and never
// contain the API key.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildWire } from '../../../../src/core/request/build/build';
import { copyAs, copyFormatsFor } from '../../../../src/core/request/copyAs/copyAs';
import { protoJson } from '../../../../src/core/request/copyAs/grpc';
import { shQuote, shQuoteWithKey } from '../../../../src/core/request/copyAs/quote';
import type { RequestDraft } from '../../../../src/shared/request';
import { defaultDraft } from '../../../../src/core/request/build/templates';
import type { BuildContext, GrpcWire, HttpWire } from '../../../../src/core/request/build/wire';
import { startEmbedded, target } from '../helpers';
import { startTensorPeer } from '../tensorPeer';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..', '..', '..');
const protoDir = path.join(root, 'src', 'core', 'proto');
const ctx = (hasApiKey: boolean): BuildContext => ({ hasApiKey, readFile: async () => new Uint8Array() });
const KEY = 'sk-test-9f8e7d';

/** A scratch directory whose node_modules points at ours, so copied TypeScript resolves its imports. */
function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-copy-'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('quoting', () => {
  it('single-quotes for the shell and turns the placeholder into "$INFERENCE_LAB_API_KEY"', async () => {
    assert.equal(shQuote("it's"), `'it'\\''s'`);
    assert.equal(shQuoteWithKey('authorization: Bearer ${apiKey}'), `'authorization: Bearer '"$INFERENCE_LAB_API_KEY"`);
    const { stdout } = await run('bash', ['-c', `printf %s ${shQuoteWithKey("a'b ${apiKey} $HOME")}`], {
      env: { ...process.env, INFERENCE_LAB_API_KEY: 'K' },
    });
    assert.equal(stdout, "a'b K $HOME");
  });

  it('offers the formats that fit each transport and refuses the others', async () => {
    assert.deepEqual(copyFormatsFor('grpc'), ['grpcurl', 'python', 'typescript']);
    const w = (await buildWire(
      defaultDraft('raw', target('vllm', 'http://h')),
      target('vllm', 'http://h'),
      ctx(false),
    )) as HttpWire;
    assert.throws(
      () => copyAs('grpcurl', w, { protoDir }),
      /does not fit a HTTP request: use curl, python, typescript/,
    );
  });
});

describe('copied requests run against the embedded server', () => {
  let emb: Awaited<ReturnType<typeof startEmbedded>>;
  let keyed: Awaited<ReturnType<typeof startEmbedded>>;
  let dir: string;
  before(async () => {
    emb = await startEmbedded(['vllm']);
    keyed = await startEmbedded(['vllm'], { personalities: { vllm: { apiKey: KEY } } });
    dir = scratch();
  });
  after(async () => {
    await Promise.all([emb.stop(), keyed.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const chat = async (baseUrl: string, stream: boolean, hasKey = false) => {
    const t = target('vllm', baseUrl, 'tiny-llm');
    const d: RequestDraft = { ...defaultDraft('openai-chat', t), params: { stream, maxTokens: 6 } };
    return (await buildWire(d, t, ctx(hasKey))) as HttpWire;
  };

  it('curl, non-streamed chat', async () => {
    const cmd = copyAs('curl', await chat(emb.endpoints.vllm, false), { protoDir });
    assert.match(
      cmd,
      /^curl -sS -X POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \\\n {2}-H 'content-type: application\/json'/,
    );
    const { stdout } = await run('bash', ['-c', cmd]);
    assert.equal(JSON.parse(stdout).object, 'chat.completion');
  });

  it('curl -N, streamed chat ends with [DONE]', async () => {
    const cmd = copyAs('curl', await chat(emb.endpoints.vllm, true), { protoDir });
    assert.match(cmd, /curl -sS -N/);
    const { stdout } = await run('bash', ['-c', cmd]);
    assert.match(stdout, /data: \[DONE\]/);
  });

  it('the key is an environment reference: the command works with it exported and is refused without', async () => {
    const cmd = copyAs('curl', await chat(keyed.endpoints.vllm, false, true), { protoDir });
    assert.ok(!cmd.includes(KEY));
    assert.match(cmd, /"\$INFERENCE_LAB_API_KEY"/);
    const ok = await run('bash', ['-c', `${cmd} -w '\\n%{http_code}'`], {
      env: { ...process.env, INFERENCE_LAB_API_KEY: KEY },
    });
    assert.match(ok.stdout, /\n200$/);
    const refused = await run('bash', ['-c', `${cmd} -w '\\n%{http_code}'`], {
      env: { ...process.env, INFERENCE_LAB_API_KEY: 'wrong' },
    });
    assert.match(refused.stdout, /\n401$/);
  });

  it('Python (requests), streamed, with the key from os.environ', async () => {
    const code = copyAs('python', await chat(keyed.endpoints.vllm, true, true), { protoDir });
    assert.ok(!code.includes(KEY));
    const file = path.join(dir, 'chat.py');
    fs.writeFileSync(file, code);
    const { stdout } = await run('python3', [file], { env: { ...process.env, INFERENCE_LAB_API_KEY: KEY } });
    assert.match(stdout, /^200 text\/event-stream/);
    assert.match(stdout, /data: \[DONE\]/);
  });

  it('TypeScript (fetch), run with tsx', async () => {
    const code = copyAs('typescript', await chat(keyed.endpoints.vllm, false, true), { protoDir });
    assert.match(code, /process\.env\.INFERENCE_LAB_API_KEY/);
    const file = path.join(dir, 'chat.mts');
    fs.writeFileSync(file, code);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
      env: { ...process.env, INFERENCE_LAB_API_KEY: KEY },
      cwd: dir,
    });
    assert.match(stdout, /^200 application\/json/);
    assert.match(stdout, /"chat\.completion"/);
  });

  it('TypeScript (ws) for the WebSocket endpoint, run with tsx; Python websocket code compiles', async () => {
    const t = target('vllm', emb.endpoints.vllm, 'tiny-llm', {
      wsUrl: `${emb.endpoints.vllm.replace('http', 'ws')}/v1/stream`,
    });
    const w = await buildWire(
      {
        template: 'websocket',
        model: 'tiny-llm',
        wsMessages: [JSON.stringify({ model: 'tiny-llm', prompt: 'hello', max_tokens: 4 })],
      },
      t,
      ctx(false),
    );
    const file = path.join(dir, 'ws.mts');
    fs.writeFileSync(file, copyAs('typescript', w, { protoDir }));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: dir });
    assert.match(stdout, /"type":"done"/);
    const py = path.join(dir, 'ws.py');
    fs.writeFileSync(py, copyAs('python', w, { protoDir }));
    await run('python3', ['-m', 'py_compile', py]);
  });
});

describe('copied gRPC requests', () => {
  let peer: Awaited<ReturnType<typeof startTensorPeer>>;
  let dir: string;
  let wire: GrpcWire;
  before(async () => {
    peer = await startTensorPeer();
    dir = scratch();
    const t = target('triton', peer.httpUrl, 'm', { grpcAddress: peer.grpcAddress });
    wire = (await buildWire(
      {
        template: 'kserve-infer',
        model: 'm',
        tensors: [{ name: 'INPUT0', datatype: 'INT32', shape: [1, 2], data: '[5, 6]' }],
        kserveTransport: 'grpc',
      },
      t,
      ctx(true),
    )) as GrpcWire;
  });
  after(async () => {
    await peer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('grpcurl: plaintext, the proto, the method, the request as proto3 JSON (raw bytes base64)', () => {
    const cmd = copyAs('grpcurl', wire, { protoDir });
    assert.match(cmd, /^grpcurl -plaintext \\\n {2}-import-path \S+ -proto grpc_service\.proto/);
    assert.match(cmd, /-H 'authorization: Bearer '"\$INFERENCE_LAB_API_KEY"/);
    assert.match(cmd, /\n {2}127\.0\.0\.1:\d+ inference\.GRPCInferenceService\/ModelInfer$/);
    const json = JSON.parse(protoJson(wire.request));
    assert.equal(json.raw_input_contents[0], Buffer.from(Int32Array.from([5, 6]).buffer).toString('base64'));
  });

  it('TypeScript (@grpc/grpc-js) runs against the peer; Python (tritonclient) compiles', async () => {
    const file = path.join(dir, 'infer.mts');
    fs.writeFileSync(file, copyAs('typescript', wire, { protoDir }));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
      cwd: dir,
      env: { ...process.env, INFERENCE_LAB_API_KEY: 'k' },
    });
    assert.match(stdout, /output0/);
    const py = path.join(dir, 'infer.py');
    fs.writeFileSync(py, copyAs('python', wire, { protoDir }));
    await run('python3', ['-m', 'py_compile', py]);
  });
});

describe('binary bodies', () => {
  let peer: Awaited<ReturnType<typeof startTensorPeer>>;
  before(async () => {
    peer = await startTensorPeer();
  });
  after(() => peer.close());

  it('curl pipes a binary tensor body from printf, byte for byte', async () => {
    const t = target('triton', peer.httpUrl, 'm');
    const w = (await buildWire(
      {
        template: 'kserve-infer',
        model: 'm',
        tensors: [{ name: 'x', datatype: 'FP32', shape: [3], data: '[0.25, -1, 37.5]' }],
        encoding: 'binary',
      },
      t,
      ctx(false),
    )) as HttpWire;
    const cmd = copyAs('curl', w, { protoDir });
    assert.match(cmd, /^printf '.*' \| curl/s);
    const { stdout } = await run('bash', ['-c', `${cmd} -D - -o /dev/null`]);
    assert.match(stdout, /^HTTP\/1\.1 200/);
    assert.match(stdout, /inference-header-content-length: \d+/i);
  });
});

describe('bodies longer than one command-line argument', () => {
  let emb: Awaited<ReturnType<typeof startEmbedded>>;
  before(async () => {
    emb = await startEmbedded(['triton']);
  });
  after(() => emb.stop());

  // A 3×224×224 FP32 tensor as JSON is ~1 MB: as one argument, exec fails with "Argument list too long"
  // (found running the copies against the embedded resnet50 in the real-servers tier).
  const big = async (grpc: boolean) => {
    const grpcAddress = emb.endpoints.tritonGrpc;
    const t = target('triton', emb.endpoints.triton, 'resnet50', { grpcAddress });
    const tensors = [{ name: 'input', datatype: 'FP32', shape: [1, 3, 224, 224], data: 'random' }];
    return buildWire(
      {
        template: 'kserve-infer',
        model: 'resnet50',
        tensors,
        outputs: [],
        encoding: 'json',
        kserveTransport: grpc ? 'grpc' : 'rest',
      } as RequestDraft,
      t,
      ctx(false),
    );
  };

  it('curl reads a long JSON body from a printf pipe and the server answers it', async () => {
    const cmd = copyAs('curl', await big(false), { protoDir });
    assert.match(cmd, /^printf '%s' '\{"inputs"/);
    assert.match(cmd, /--data-binary @-$/);
    // Run as a script file (as `bash -c <cmd>` the command itself would be the over-long argument).
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'il-copy-')), 'req.sh');
    fs.writeFileSync(file, cmd);
    const { stdout } = await run('bash', [file], { maxBuffer: 64 * 1024 * 1024 });
    assert.equal((JSON.parse(stdout) as { outputs: Array<{ shape: number[] }> }).outputs[0].shape.join(','), '1,1000');
  });

  it('grpcurl reads a long request from stdin (-d @)', async () => {
    const cmd = copyAs('grpcurl', await big(true), { protoDir });
    assert.match(cmd, /^printf '%s' '\{/);
    assert.match(cmd, /-d @ \\\n/);
  });
});

describe('typed-in credentials are masked like stored keys (issue 15)', () => {
  const typed = 'sk-typed-1a2b3c';
  const http: HttpWire = {
    transport: 'http',
    template: 'openai-chat',
    method: 'POST',
    url: 'http://user:pw-secret@127.0.0.1:8000/v1/chat/completions?token=tok-secret&api-version=2',
    headers: {
      authorization: `Bearer ${typed}`,
      'x-api-key': typed,
      'X-Auth-Token': typed,
      'content-type': 'application/json',
    },
    body: '{}',
    expect: 'json',
  };
  for (const format of ['curl', 'python', 'typescript'] as const) {
    it(`${format}: no typed key, no URL userinfo or token; the key comes from the environment`, () => {
      const text = copyAs(format, http, { protoDir });
      for (const secret of [typed, 'pw-secret', 'tok-secret', 'user:'])
        assert.ok(!text.includes(secret), `${secret} in:\n${text}`);
      assert.ok(text.includes('INFERENCE_LAB_API_KEY'));
      assert.ok(text.includes('http://127.0.0.1:8000/v1/chat/completions?api-version=2'));
      assert.ok(text.includes('application/json'), 'other headers are kept');
    });
  }
  it('curl: Authorization keeps its scheme', () => {
    assert.match(copyAs('curl', http, { protoDir }), /-H 'authorization: Bearer '"\$INFERENCE_LAB_API_KEY"/);
  });
  it('gRPC metadata typed in is masked too', async () => {
    const t = target('triton', 'http://127.0.0.1:8000', 'm', { grpcAddress: '127.0.0.1:8001' });
    const built = (await buildWire(
      {
        template: 'kserve-infer',
        model: 'm',
        tensors: [{ name: 'INPUT0', datatype: 'INT32', shape: [1, 2], data: '[5, 6]' }],
        kserveTransport: 'grpc',
      },
      t,
      ctx(false),
    )) as GrpcWire;
    const grpc: GrpcWire = {
      ...built,
      metadata: { ...built.metadata, authorization: `Bearer ${typed}`, 'x-api-key': typed },
    };
    for (const f of copyFormatsFor('grpc')) assert.ok(!copyAs(f, grpc, { protoDir }).includes(typed), f);
  });
  it('WebSocket headers and URL are masked too', () => {
    const ws = {
      transport: 'websocket' as const,
      template: http.template,
      url: 'ws://u:pw-secret@127.0.0.1:8000/v1/stream?token=tok-secret',
      headers: { 'api-key': typed },
      messages: ['{}'],
    };
    for (const f of copyFormatsFor('websocket')) {
      const text = copyAs(f, ws, { protoDir });
      for (const secret of [typed, 'pw-secret', 'tok-secret']) assert.ok(!text.includes(secret), `${f}: ${secret}`);
    }
  });
});
