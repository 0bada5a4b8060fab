import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { createBody, describeCreate } from '../../../../src/core/docker/launch/createBody';
import { resolveLaunch } from '../../../../src/core/docker/launch/launchSpec';
import { findPreset } from '../../../../src/core/docker/presets/presets';
import { composeService, renderCompose } from '../../../../src/core/docker/launch/renderCompose';
import { dockerRunArgv, renderDockerRun, shellQuote } from '../../../../src/core/docker/launch/renderRun';

const ctx = { homeDir: '/home/u' };
const secret = 'hf_SECRETVALUE123';
const vllmSpec = () =>
  resolveLaunch(
    findPreset('vllm')!,
    { params: { modelId: 'Qwen/Qwen2.5-0.5B-Instruct', maxModelLen: 4096 }, gpus: ['0', '1'] },
    ctx,
  );

/** Splits a rendered command the way a POSIX shell would (quotes, line continuations). */
function shellWords(cmd: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i];
    if (ch === '\\' && cmd[i + 1] === '\n') {
      i++;
      continue;
    }
    if (ch === "'") {
      const end = cmd.indexOf("'", i + 1);
      cur = (cur ?? '') + cmd.slice(i + 1, end);
      i = end;
    } else if (ch === '\\') {
      cur = (cur ?? '') + cmd[++i];
    } else if (/\s/.test(ch)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else cur = (cur ?? '') + ch;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

describe('engine create body', () => {
  it('sends secrets to the engine only, and never in the log line', () => {
    const body = createBody(vllmSpec(), { HF_TOKEN: secret });
    assert.deepEqual(body.Env, [`HF_TOKEN=${secret}`]);
    assert.ok(!describeCreate(body).includes(secret));
    assert.match(describeCreate(body), /env=\[HF_TOKEN\]/);
    assert.match(describeCreate(body), /gpus=0,1/);
  });

  it('leaves out a secret that was not supplied', () => {
    assert.deepEqual(createBody(vllmSpec()).Env, []);
  });

  it('builds GPU device requests, ports, binds, IPC and shm like the CLI', () => {
    const body = createBody(vllmSpec());
    assert.deepEqual(body.HostConfig.DeviceRequests, [
      { Driver: '', Count: 0, DeviceIDs: ['0', '1'], Capabilities: [['gpu']] },
    ]);
    assert.deepEqual(body.HostConfig.PortBindings, { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '8000' }] });
    assert.deepEqual(body.ExposedPorts, { '8000/tcp': {} });
    assert.deepEqual(body.HostConfig.Binds, ['/home/u/.cache/huggingface:/root/.cache/huggingface']);
    assert.equal(body.HostConfig.IpcMode, 'host');
    const all = createBody(resolveLaunch(findPreset('ollama')!, {}, ctx));
    assert.deepEqual(all.HostConfig.DeviceRequests, [{ Driver: '', Count: -1, Capabilities: [['gpu']] }]);
    const none = createBody(resolveLaunch(findPreset('ollama')!, { gpus: 'none' }, ctx));
    assert.equal(none.HostConfig.DeviceRequests, undefined);
    const ts = createBody(resolveLaunch(findPreset('torchserve')!, {}, ctx));
    assert.equal(ts.HostConfig.ShmSize, 1073741824);
    assert.deepEqual(ts.HostConfig.Ulimits, [
      { Name: 'memlock', Soft: -1, Hard: -1 },
      { Name: 'stack', Soft: 67108864, Hard: 67108864 },
    ]);
  });
});

describe('docker run rendering', () => {
  it('renders the vLLM launch', () => {
    assert.equal(
      renderDockerRun(vllmSpec()),
      [
        'docker run -d --name inference-lab-vllm-8000',
        `--gpus '"device=0,1"'`,
        '--ipc host',
        '-p 127.0.0.1:8000:8000',
        '-v /home/u/.cache/huggingface:/root/.cache/huggingface',
        '-e HF_TOKEN',
        '--label inference-lab.managed=true',
        '--label inference-lab.preset=vllm',
        '--label inference-lab.server-kind=vllm',
        '--label inference-lab.gpus=0,1',
        '--label inference-lab.health-path=/health',
        '--label inference-lab.http-port=8000',
        'vllm/vllm-openai:latest',
        '--model Qwen/Qwen2.5-0.5B-Instruct --max-model-len 4096',
      ].join(' \\\n  '),
    );
  });

  it('round-trips through a shell: the words are the argv', () => {
    const spec = resolveLaunch(
      findPreset('torchserve')!,
      { env: { GREETING: "it's $HOME" }, extraArgs: ['--models', 'a=a.mar b=b.mar'] },
      ctx,
    );
    const words = shellWords(renderDockerRun(spec));
    assert.deepEqual(words.slice(1), dockerRunArgv(spec));
    assert.ok(words.includes("GREETING=it's $HOME"));
    assert.ok(words.includes('memlock=-1') && words.includes('--shm-size'));
  });

  it('holds no secret value, whatever the options', () => {
    const spec = vllmSpec();
    assert.ok(!renderDockerRun(spec).includes(secret));
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('a b'), "'a b'");
  });
});

describe('compose rendering', () => {
  it('renders a service that parses back, with GPU reservations and a secret reference', () => {
    const text = renderCompose(vllmSpec());
    assert.match(text, /^# Set HF_TOKEN in your environment/);
    const doc = parse(text) as { services: Record<string, Record<string, unknown>> };
    const svc = doc.services.vllm;
    assert.equal(svc.image, 'vllm/vllm-openai:latest');
    assert.deepEqual(svc.command, ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--max-model-len', '4096']);
    assert.deepEqual(svc.ports, ['127.0.0.1:8000:8000']);
    assert.deepEqual(svc.environment, { HF_TOKEN: '${HF_TOKEN}' });
    assert.equal(svc.ipc, 'host');
    assert.deepEqual(svc.deploy, {
      resources: { reservations: { devices: [{ driver: 'nvidia', device_ids: ['0', '1'], capabilities: ['gpu'] }] } },
    });
    assert.equal((svc.labels as Record<string, string>)['inference-lab.preset'], 'vllm');
  });

  it('declares named volumes, escapes dollars, renders ulimits and count: all', () => {
    const ollama = parse(renderCompose(resolveLaunch(findPreset('ollama')!, { env: { PRICE: '$5' } }, ctx))) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    assert.deepEqual(ollama.volumes, { ollama: {} });
    assert.deepEqual(ollama.services.ollama.volumes, ['ollama:/root/.ollama']);
    assert.deepEqual(ollama.services.ollama.environment, { PRICE: '$$5' });
    assert.deepEqual(ollama.services.ollama.deploy, {
      resources: { reservations: { devices: [{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }] } },
    });
    const ts = composeService(resolveLaunch(findPreset('torchserve')!, { gpus: 'none' }, ctx));
    assert.deepEqual(ts.ulimits, { memlock: -1, stack: 67108864 });
    assert.equal(ts.shm_size, '1g');
    assert.equal(ts.deploy, undefined);
    assert.equal(ts.image, 'pytorch/torchserve:latest-cpu');
  });
});
