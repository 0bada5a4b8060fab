import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  ConfigError,
  DEFAULT_PORT_BASE,
  loadConfigFile,
  parseConfigText,
  resolveConfig,
} from '../../../src/core/embedded/config';
import { personalityLoaders } from '../../../src/core/embedded/personalityList';
import { EmbeddedServer } from '../../../src/core/embedded/server';

describe('embedded config', () => {
  it('needs no config: defaults for host, ports, seed and models', () => {
    const c = resolveConfig();
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.portBase, DEFAULT_PORT_BASE);
    assert.deepEqual(
      c.models.map((m) => m.name),
      ['tiny-llm', 'mini-embed', 'resnet50'],
    );
  });

  it('reads YAML and JSON', () => {
    const y = parseConfigText(
      'portBase: 0\nmodels:\n  - name: m\n    kind: text-generation\n    latency: { decodePerTokenMs: 5, jitter: 0 }\npersonalities:\n  vllm: { apiKey: k }\n',
    );
    assert.equal(y.models?.[0].latency?.decodePerTokenMs, 5);
    assert.equal(y.personalities?.vllm.apiKey, 'k');
    assert.deepEqual(parseConfigText('{"seed": 7}'), { seed: 7 });
  });

  it('lists every schema problem with its location', () => {
    const text =
      'portBase: -1\nmodels:\n  - name: m\n    kind: llm\n    latency: { jitter: 2, nope: 1 }\nfaults: { errorRate: 3 }\n';
    assert.throws(
      () => parseConfigText(text, 'x.yaml'),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        for (const s of [
          'x.yaml',
          '/portBase',
          '/models/0/kind',
          'text-generation, embedding, image-classification',
          '/models/0/latency/jitter',
          '"nope"',
          '/faults/errorRate',
        ]) {
          assert.ok(e.message.includes(s), `missing ${s} in:\n${e.message}`);
        }
        return true;
      },
    );
  });

  it('reports unparsable text, duplicate models and a missing file clearly', async () => {
    assert.throws(() => parseConfigText('a: [1, 2', 'c.yaml'), /c\.yaml: cannot parse as JSON or YAML/);
    assert.throws(
      () => parseConfigText('models: [{name: a, kind: embedding}, {name: a, kind: embedding}]'),
      /duplicate model name "a"/,
    );
    await assert.rejects(loadConfigFile('/nonexistent/inference-lab.yaml'), /Config file not found: \/nonexistent/);
  });

  it('refuses an unknown personality', () => {
    assert.throws(() => new EmbeddedServer({ personalities: { tritonn: {} } }), /Unknown personality "tritonn"/);
  });
});

function runCli(args: string[]): {
  lines: Promise<string>;
  exit: Promise<number | null>;
  kill(sig: NodeJS.Signals): void;
  stderr(): string;
} {
  const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], {
    cwd: path.resolve(__dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lines = new Promise<string>((resolve) => {
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out);
    });
    p.on('close', () => resolve(out));
  });
  p.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return {
    lines,
    exit: new Promise((f) => p.on('close', (code) => f(code))),
    kill: (s) => p.kill(s),
    stderr: () => err,
  };
}

describe('inference-lab serve', () => {
  it('prints one listening line, serves, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'serve-'));
    try {
      const cfg = path.join(dir, 'c.yaml');
      const off = Object.keys(personalityLoaders)
        .filter((n) => n !== 'vllm' && n !== 'tgi')
        .map((n) => `  ${n}: { enabled: false }`)
        .join('\n');
      writeFileSync(cfg, `personalities:\n${off}\n`);
      const cli = runCli(['--config', cfg, '--port-base', '0']);
      const out = await cli.lines;
      const lines = out.trim().split('\n');
      assert.equal(lines.length, 1, out + cli.stderr());
      const ready = JSON.parse(lines[0]) as { event: string; endpoints: Record<string, string> };
      assert.equal(ready.event, 'listening');
      assert.deepEqual(Object.keys(ready.endpoints), ['vllm', 'tgi']);
      assert.match(ready.endpoints.vllm, /^http:\/\/127\.0\.0\.1:\d+$/);
      const v = await fetch(`${ready.endpoints.vllm}/version`);
      assert.equal(v.status, 200);
      cli.kill('SIGTERM');
      assert.equal(await cli.exit, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with a clear message on a bad config or bad arguments', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'serve-'));
    try {
      const cfg = path.join(dir, 'bad.json');
      writeFileSync(cfg, '{"models":[{"name":"x"}]}');
      const bad = runCli(['--config', cfg]);
      assert.equal(await bad.exit, 2);
      assert.match(
        bad.stderr(),
        /bad\.json is not a valid embedded-server config:\n {2}\/models\/0: must have required property 'kind'/,
      );
      assert.doesNotMatch(bad.stderr(), /\n\s+at /, 'no stack trace');
      const args = runCli(['--port-base', 'ten']);
      assert.equal(await args.exit, 2);
      assert.match(args.stderr(), /--port-base must be an integer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
