/**
 * bench:peers — the peers' own tools beside Inference Lab, on the same server
 * and workload: the embedded vLLM personality with fixed latency and no
 * jitter (test/fixtures/peers/embedded-server.json), one dataset file every
 * tool reads (dataset.jsonl; inference-perf reads only ShareGPT, so it gets
 * the same prompts as dataset.sharegpt.json), 16 output tokens with
 * ignore_eos, the same concurrency and request count. For each tool and
 * metric it prints the tool's own number (imported from its result file)
 * next to ours computed under that tool's profile, and whether they agree
 * within 1 ms or 1 %. Printed, never asserted.
 *
 * Tools come from scripts/python/setup.sh peer-guidellm peer-aiperf
 * peer-inference-perf (venvs under ~/.cache/inference-lab/venvs) and the
 * real-servers tier's vLLM venv for `vllm bench serve` (its custom dataset
 * also needs pandas: set VLLM_BENCH_PYTHONPATH to a folder holding it).
 * A tool that is not installed is reported, not skipped silently.
 * Run: npm run bench:peers [-- --requests N --concurrency N]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { recomputeProfile } from '../src/core/bench/recompute';
import { resultFromJson } from '../src/core/bench/result';
import type { ProfileName } from '../src/core/bench/spec';
import { readPeerResult } from '../src/core/results/import/peerImport';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '24' }, concurrency: { type: 'string', default: '4' } },
});
const N = Number(values.requests);
const C = Number(values.concurrency);
const OUT_TOKENS = 16;
const root = path.resolve(__dirname, '..');
const fixtures = path.join(root, 'test', 'fixtures', 'peers');
const venvs = process.env.INFERENCE_LAB_VENVS ?? path.join(os.homedir(), '.cache', 'inference-lab', 'venvs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-peers-'));
const bin = (venv: string, name: string) => path.join(venvs, venv, 'bin', name);

function sh(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = dir,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.stderr.on('data', (d: Buffer) => (out += d));
    p.on('error', (e) => resolve({ code: -1, out: String(e) }));
    p.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function startServer(): Promise<{ url: string; stop(): void }> {
  const p = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', path.join(fixtures, 'embedded-server.json')],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: p.stdout! }).once('line', resolve);
    p.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { url: (JSON.parse(line) as { endpoints: { vllm: string } }).endpoints.vllm, stop: () => p.kill('SIGTERM') };
}

interface Pair {
  metric: string;
  tool?: number;
  ours?: number;
}

/** The metrics compared per tool: [label, key in the tool's profile, scale to ms]. */
const compared: Record<string, { profile: ProfileName; keys: Array<[string, string, number]> }> = {
  'vllm bench serve': {
    profile: 'vllm',
    keys: [
      ['TTFT mean', 'ttft', 1],
      ['TPOT mean', 'tpot', 1],
      ['ITL mean', 'itl', 1],
      ['E2EL mean', 'e2el', 1],
    ],
  },
  AIPerf: {
    profile: 'aiperf',
    keys: [
      ['TTFT mean', 'time_to_first_token', 1],
      ['ITL mean', 'inter_token_latency', 1],
      ['latency mean', 'request_latency', 1],
    ],
  },
  GuideLLM: {
    profile: 'guidellm',
    keys: [
      ['TTFT mean', 'time_to_first_token_ms', 1],
      ['ITL mean', 'inter_token_latency_ms', 1],
      ['latency mean', 'request_latency', 1000],
    ],
  },
  'inference-perf': {
    profile: 'vllm',
    keys: [
      ['TTFT mean', 'ttft', 1],
      ['TPOT mean', 'tpot', 1],
      ['E2E (last chunk) mean', 'e2el', 1],
    ],
  },
};

async function main(): Promise<void> {
  const tok = path.join(dir, 'tok');
  const py = [bin('peer-aiperf', 'python'), bin('peer-guidellm', 'python')].find((p) => fs.existsSync(p));
  if (!py) throw new Error('no peer venv: run scripts/python/setup.sh peer-guidellm peer-aiperf peer-inference-perf');
  const t = await sh(py, [path.join(root, 'test', 'bench', 'peers', 'make_tokenizer.py'), tok]);
  if (t.code) throw new Error(`tokenizer: ${t.out}`);
  const data = path.join(dir, 'dataset.jsonl');
  const lines = fs.readFileSync(path.join(fixtures, 'dataset.jsonl'), 'utf8').trim().split('\n');
  fs.writeFileSync(data, Array.from({ length: N }, (_, i) => lines[i % lines.length]).join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'dataset.sharegpt.json'),
    JSON.stringify(
      fs
        .readFileSync(data, 'utf8')
        .trim()
        .split('\n')
        .map((l, i) => ({
          id: String(i),
          conversations: [
            { from: 'human', value: (JSON.parse(l) as { prompt: string }).prompt },
            { from: 'gpt', value: Array(OUT_TOKENS).fill('word').join(' ') },
          ],
        })),
    ),
  );
  const server = await startServer();
  const cant: string[] = [];
  const results: Record<string, string> = {};
  try {
    console.log(
      `bench:peers — embedded vLLM personality at ${server.url} (prefill 20 ms, decode 10 ms/token, no jitter), ${N} requests, concurrency ${C}, ${OUT_TOKENS} output tokens (ignore_eos); machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`,
    );
    const ours = await sh(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'src/cli/main.ts'),
        'bench',
        '--url',
        server.url,
        '--group',
        'text-generation',
        '--model',
        'tiny-llm',
        '--api',
        'openai-completions',
        '--dataset',
        data,
        '--output-tokens',
        String(OUT_TOKENS),
        '--concurrency',
        String(C),
        '--requests',
        String(N),
        '--warmup',
        '0',
        '--no-server-metrics',
        '--quiet',
        '--out',
        path.join(dir, 'ours.json'),
        '--records',
        path.join(dir, 'ours.jsonl'),
      ],
      {},
      root,
    );
    if (ours.code) throw new Error(`inference-lab bench failed: ${ours.out}`);
    const vllm = bin('vllm', 'vllm');
    if (fs.existsSync(vllm)) {
      const r = await sh(
        vllm,
        [
          'bench',
          'serve',
          '--backend',
          'openai',
          '--base-url',
          server.url,
          '--endpoint',
          '/v1/completions',
          '--model',
          'tiny-llm',
          '--tokenizer',
          tok,
          '--dataset-name',
          'custom',
          '--dataset-path',
          data,
          '--custom-output-len',
          String(OUT_TOKENS),
          '--skip-chat-template',
          '--ignore-eos',
          '--num-prompts',
          String(N),
          '--max-concurrency',
          String(C),
          '--request-rate',
          'inf',
          '--percentile-metrics',
          'ttft,tpot,itl,e2el',
          '--save-result',
          '--save-detailed',
          '--result-dir',
          dir,
          '--result-filename',
          'vllm.json',
        ],
        { PYTHONPATH: process.env.VLLM_BENCH_PYTHONPATH ?? '' },
      );
      if (r.code) cant.push(`vllm bench serve: exit ${r.code}: ${r.out.trim().split('\n').slice(-2).join(' / ')}`);
      else results['vllm bench serve'] = path.join(dir, 'vllm.json');
    } else cant.push(`vllm bench serve: no vLLM venv (bash test/real/servers/vllm.sh setup)`);
    const aiperf = bin('peer-aiperf', 'aiperf');
    if (fs.existsSync(aiperf)) {
      const r = await sh(aiperf, [
        'profile',
        '--model',
        'tiny-llm',
        '--url',
        server.url,
        '--endpoint-type',
        'completions',
        '--streaming',
        '--input-file',
        data,
        '--custom-dataset-type',
        'single_turn',
        '--output-tokens-mean',
        String(OUT_TOKENS),
        '--extra-inputs',
        'ignore_eos:true',
        '--concurrency',
        String(C),
        '--request-count',
        String(N),
        '--tokenizer',
        tok,
        '--artifact-dir',
        path.join(dir, 'aiperf'),
        '--ui-type',
        'none',
      ]);
      if (r.code) cant.push(`AIPerf: exit ${r.code}`);
      else results.AIPerf = path.join(dir, 'aiperf', 'profile_export_aiperf.json');
    } else cant.push('AIPerf: not installed (scripts/python/setup.sh peer-aiperf)');
    const guidellm = bin('peer-guidellm', 'guidellm');
    if (fs.existsSync(guidellm)) {
      const r = await sh(guidellm, [
        'run',
        '--backend',
        `kind=openai_http,target=${server.url},model=tiny-llm,request_format=/v1/completions`,
        '--profile',
        `kind=concurrent,streams=${C}`,
        '--constraint',
        `kind=max_requests,count=${N}`,
        '--tokenizer',
        `kind=huggingface_auto,model=${tok}`,
        '--data',
        `kind=json_file,path=${data}`,
        '--output',
        `kind=json,path=${path.join(dir, 'guidellm.json')}`,
        '--disable-console-interactive',
      ]);
      if (r.code) cant.push(`GuideLLM: exit ${r.code}`);
      else results.GuideLLM = path.join(dir, 'guidellm.json');
    } else cant.push('GuideLLM: not installed (scripts/python/setup.sh peer-guidellm)');
    const ip = bin('peer-inference-perf', 'inference-perf');
    if (fs.existsSync(ip)) {
      const cfg = path.join(dir, 'ip.yaml');
      fs.writeFileSync(
        cfg,
        `api: {type: completion, streaming: true}\ndata: {type: shareGPT, path: ${path.join(dir, 'dataset.sharegpt.json')}}\nload:\n  type: concurrent\n  stages: [{num_requests: ${N}, concurrency_level: ${C}}]\nserver: {type: vllm, model_name: tiny-llm, base_url: "${server.url}", ignore_eos: true}\ntokenizer: {pretrained_model_name_or_path: ${tok}}\nreport:\n  request_lifecycle: {summary: true, per_stage: true, per_request: true}\nstorage:\n  local_storage: {path: ${path.join(dir, 'ip')}}\n`,
      );
      const r = await sh(ip, ['--config_file', cfg]);
      if (r.code) cant.push(`inference-perf: exit ${r.code}`);
      else results['inference-perf'] = path.join(dir, 'ip', 'summary_lifecycle_metrics.json');
    } else
      cant.push('inference-perf: not installed (scripts/python/setup.sh peer-inference-perf; needs Python >= 3.12)');
    cant.push(
      "GenAI-Perf 0.0.16: installed, but its load generator perf_analyzer cannot run here: PyPI's perf-analyzer 0.1.0 is an empty placeholder and the binary in tritonclient 2.60 wheels needs glibc 2.38 (this machine: 2.36)",
    );
  } finally {
    server.stop();
  }
  const oursResult = resultFromJson(fs.readFileSync(path.join(dir, 'ours.json'), 'utf8'));
  console.log('\nmetric (ms)                         tool        ours   diff   agree (≤ 1 ms or ≤ 1 %)');
  for (const [tool, file] of Object.entries(results)) {
    const spec = compared[tool];
    const peer = (await readPeerResult(file)).result.steps[0].summary;
    const mine = (await recomputeProfile(oursResult, path.join(dir, 'ours.jsonl'), spec.profile)).steps[0].summary;
    console.log(`${tool} (our ${spec.profile} profile)`);
    for (const [label, key, scale] of spec.keys) {
      const p: Pair = {
        metric: label,
        tool: peer.metrics[key] ? peer.metrics[key].mean * scale : undefined,
        ours: mine.metrics[key] ? mine.metrics[key].mean * scale : undefined,
      };
      const d = p.tool !== undefined && p.ours !== undefined ? p.ours - p.tool : undefined;
      const ok = d !== undefined && (Math.abs(d) <= 1 || Math.abs(d) <= 0.01 * Math.abs(p.tool!));
      console.log(
        `  ${label.padEnd(32)} ${(p.tool?.toFixed(2) ?? '–').padStart(8)} ${(p.ours?.toFixed(2) ?? '–').padStart(8)} ${(d?.toFixed(2) ?? '–').padStart(7)}   ${d === undefined ? 'n/a' : ok ? 'yes' : 'NO'}`,
      );
    }
  }
  console.log('\nCould not run:');
  for (const c of cant) console.log(`  ${c}`);
  console.log(`\nFiles: ${dir}`);
}

main().catch((e) => {
  console.error(`bench:peers: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
