/**
 * The real servers of the tier: how to set each up (venv + model, through its script in servers/), start it
 * on a free loopback port, wait for its own health endpoint, and stop it by PID (its process group).
 * A server that cannot be set up or started yields the installer's or the server's own error text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const realDir = __dirname;
export const repoRoot = path.resolve(__dirname, '..', '..');
export const venvsDir = process.env.INFERENCE_LAB_VENVS ?? path.join(os.homedir(), '.cache', 'inference-lab', 'venvs');
export const modelsDir =
  process.env.INFERENCE_LAB_MODELS ?? path.join(os.homedir(), '.cache', 'inference-lab', 'models');

export interface RealServer {
  /** Name in the report and script file name (servers/<name>.sh). */
  name: string;
  /** The kind `inference-lab probe` must name. */
  kind: string;
  /** The model the checks use. */
  model: string;
  /** Model names given to the probe and the tree, for a server that cannot list its models (PyTriton restricts it). */
  models?: string[];
  /** A model with a BYTES input and output (text in, text out), checked over REST too. */
  bytesModel?: string;
  /** A text-generation model beside `model` (TorchServe's streaming handler). */
  textModel?: string;
  /**
   * A decoupled (streaming) Triton model: one BYTES text in, one response per word over gRPC ModelStreamInfer. The
   * embedded Triton serves a model of the same name and behaviour, so the check runs on both targets.
   */
  streamModel?: string;
  /** Which conformance checks apply (<suite>.conformance.ts). */
  suite: 'vllm' | 'v2' | 'torchserve' | 'embeddings' | 'llamacpp' | 'rayserve';
  /** The embedded personality answering the same protocol (conformance's second target) and its model. */
  personality: string;
  embeddedModel?: string;
  /** Extra flags for the server's start script, and the matching options of the embedded personality. */
  startArgs?: string[];
  embeddedOptions?: Record<string, unknown>;
  embeddedTextModel?: string;
  /** Health path the registry waits for (the server's own). */
  health: string;
  /** A further readiness condition after `health` answers 200 (TorchServe's /ping is Healthy before its workers). */
  ready?: (port: number) => Promise<boolean>;
  /** Ports beside the HTTP one, as the start script lays them out (port + offset). */
  grpcOffset?: number;
  metricsOffset?: number;
  /** How many consecutive ports the start script takes from `port` on, when more than the offsets above say. */
  portCount?: number;
  /**
   * Its venv builds a package from source (minutes of CPU): the tier starts `setup.sh <name>` in the background
   * when it starts (`buildAhead`), so the compile overlaps the other servers' downloads and unpacking.
   */
  buildAhead?: boolean;
  /** How long setup (install + model build) and start may take, cold. */
  setupTimeoutMs: number;
  startTimeoutMs: number;
}

export const realServers: RealServer[] = [
  {
    name: 'vllm',
    kind: 'vllm',
    model: 'tiny',
    suite: 'vllm',
    personality: 'vllm',
    // usage.prompt_tokens_details.cached_tokens on both (the shared-prefix check compares it with the counters).
    startArgs: ['--enable-prompt-tokens-details'],
    embeddedOptions: { enablePromptTokensDetails: true },
    health: '/health',
    setupTimeoutMs: 20 * 60_000,
    startTimeoutMs: 5 * 60_000,
  },
  {
    name: 'mlserver',
    kind: 'oip',
    model: 'iris',
    suite: 'v2',
    personality: 'triton',
    embeddedModel: 'resnet50',
    health: '/v2/health/ready',
    grpcOffset: 1,
    metricsOffset: 2,
    setupTimeoutMs: 10 * 60_000,
    startTimeoutMs: 3 * 60_000,
  },
  // PyTriton starts tritonserver (ready with no models) and then loads its models one by one: wait for the last.
  {
    name: 'pytriton',
    kind: 'triton',
    model: 'image',
    models: ['image', 'text', 'words'],
    bytesModel: 'text',
    streamModel: 'words',
    suite: 'v2',
    personality: 'triton',
    embeddedModel: 'resnet50',
    health: '/v2/models/words/ready',
    grpcOffset: 1,
    metricsOffset: 2,
    setupTimeoutMs: 10 * 60_000,
    startTimeoutMs: 3 * 60_000,
  },
  {
    name: 'kserve',
    kind: 'kserve',
    model: 'iris',
    suite: 'v2',
    personality: 'triton',
    embeddedModel: 'resnet50',
    health: '/v2/health/ready',
    grpcOffset: 1,
    setupTimeoutMs: 10 * 60_000,
    startTimeoutMs: 3 * 60_000,
  },
  {
    name: 'torchserve',
    kind: 'torchserve',
    model: 'image',
    textModel: 'text',
    suite: 'torchserve',
    personality: 'torchserve',
    embeddedModel: 'resnet50',
    embeddedTextModel: 'tiny-llm',
    // /ping says Healthy as soon as the front end listens, before any worker runs: also wait for each model's
    // worker to be READY on the management API.
    health: '/ping',
    ready: async (port) => {
      for (const m of ['image', 'text']) {
        const r = await fetch(`http://127.0.0.1:${port + 1}/models/${m}`, { signal: AbortSignal.timeout(2000) });
        const j = (await r.json()) as Array<{ workers?: Array<{ status?: string }> }>;
        if (!j[0]?.workers?.some((w) => w.status === 'READY')) return false;
      }
      return true;
    },
    metricsOffset: 2,
    // Its gRPC inference and management ports sit at +3 and +4 (torchserve.sh): a busy one stops the whole server.
    portCount: 5,
    setupTimeoutMs: 15 * 60_000,
    startTimeoutMs: 3 * 60_000,
  },
  {
    name: 'infinity',
    kind: 'openai',
    model: 'all-MiniLM-L6-v2',
    suite: 'embeddings',
    personality: 'vllm',
    embeddedModel: 'mini-embed',
    health: '/health',
    setupTimeoutMs: 20 * 60_000,
    startTimeoutMs: 3 * 60_000,
  },
  {
    name: 'llamacpp',
    kind: 'openai',
    model: 'tiny',
    suite: 'llamacpp',
    personality: 'vllm',
    health: '/v1/models',
    buildAhead: true,
    // A cold build of llama.cpp from source took 51 min on this loaded 2-core box (before llamacpp.cmake).
    setupTimeoutMs: 70 * 60_000,
    startTimeoutMs: 2 * 60_000,
  },
  // A local Ray (1 CPU, no dashboard): the proxy answers /-/healthz once the application "llm" is running. The
  // application sits at route prefix /llm (on the embedded twin too): the panel and the bench must send under it.
  {
    name: 'rayserve',
    kind: 'rayserve',
    // The model the application "llm" serves (the Servers tree shows it under the application).
    model: 'tiny-llm',
    suite: 'rayserve',
    personality: 'rayserve',
    embeddedModel: 'tiny-llm',
    startArgs: ['/llm'],
    embeddedOptions: { routePrefix: '/llm' },
    health: '/-/healthz',
    // The proxy says "success" as soon as it runs, before serve.run has deployed the application.
    ready: async (port) => {
      const r = await fetch(`http://127.0.0.1:${port}/-/routes`, { signal: AbortSignal.timeout(2000) });
      return ((await r.json()) as Record<string, string>)['/llm'] === 'llm';
    },
    setupTimeoutMs: 15 * 60_000,
    startTimeoutMs: 3 * 60_000,
  },
];

export interface StepError {
  step: 'setup' | 'start';
  message: string;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free TCP port on 127.0.0.1 whose next `count - 1` ports are free too (gRPC and metrics sit at +1, +2). */
export async function freePort(count = 1): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.unref();
      s.on('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (port + count - 1 > 65535) continue;
    let free = true;
    for (let k = 1; k < count && free; k++) free = await canListen(port + k);
    if (free) return port;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}

function tail(text: string, lines = 30): string {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .slice(-lines)
    .join('\n');
}

/** Runs `<script> setup` (idempotent; fast when the venv and model exist). Resolves with its output or a StepError. */
export function setupServer(
  s: RealServer,
): Promise<{ ok: true; output: string; ms: number } | { ok: false; error: StepError }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn('bash', [path.join(realDir, 'servers', `${s.name}.sh`), 'setup'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.stderr.on('data', (d: Buffer) => (out += d));
    const timer = setTimeout(() => killGroup(p), s.setupTimeoutMs);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true, output: out, ms: Date.now() - t0 });
      else
        resolve({
          ok: false,
          error: {
            step: 'setup',
            message: `${s.name} setup ${signal ? `killed (${signal}) after ${s.setupTimeoutMs / 1000} s` : `exited ${code}`}:\n${tail(out)}`,
          },
        });
    });
  });
}

/**
 * Starts `scripts/python/setup.sh <name>` in the background for each server with `buildAhead`, output to
 * `<venvs>/<name>.ahead.out`. The server's own setup later waits for it (setup.sh locks each venv) and, should the
 * background build have failed, runs it again and reports the installer's error itself. Returns a stop function
 * (kills what is still running, e.g. when the tier ends early).
 */
export function buildAhead(servers: RealServer[]): () => void {
  const procs = servers
    .filter((s) => s.buildAhead)
    .map((s) => {
      fs.mkdirSync(venvsDir, { recursive: true });
      const out = fs.openSync(path.join(venvsDir, `${s.name}.ahead.out`), 'w');
      const p = spawn('nice', ['-n', '10', 'bash', path.join(repoRoot, 'scripts', 'python', 'setup.sh'), s.name], {
        stdio: ['ignore', out, out],
        detached: true,
      });
      fs.closeSync(out);
      return p;
    });
  return () => procs.forEach((p) => killGroup(p));
}

function killGroup(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (p.pid === undefined || p.exitCode !== null || p.signalCode !== null) return;
  try {
    process.kill(-p.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Processes of a session (`detached` spawns lead their own), from /proc: those that left the process group too. */
function sessionPids(sid: number): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // pid (comm) state ppid pgrp session …; comm may hold spaces and parentheses: split after the last ')'.
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[3]) === sid && f[0] !== 'Z') pids.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return pids;
}

/**
 * After the group is gone, waits up to `ms` for the rest of the session (Ray's actors run in process groups of
 * their own and leave once the raylet is gone), then SIGKILLs what is left. Returns how many were killed.
 */
async function sweepSession(sid: number, ms = 15_000): Promise<number> {
  const deadline = Date.now() + ms;
  while (sessionPids(sid).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const left = sessionPids(sid);
  for (const pid of left)
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  return left.length;
}

export interface Running {
  server: RealServer;
  url: string;
  port: number;
  pid: number;
  startMs: number;
  /** The server's output so far (for error messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the server on a free port (or on `at`, when given) and waits for its health endpoint to answer 200. */
export async function startServer(
  s: RealServer,
  at?: number,
): Promise<{ ok: true; running: Running } | { ok: false; error: StepError }> {
  const port = at ?? (await freePort(s.portCount ?? 1 + Math.max(s.grpcOffset ?? 0, s.metricsOffset ?? 0)));
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(os.tmpdir(), `inference-lab-real-${s.name}-${port}.log`);
  const t0 = Date.now();
  const p = spawn(
    'bash',
    [path.join(realDir, 'servers', `${s.name}.sh`), 'start', String(port), ...(s.startArgs ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let out = '';
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > 200_000) out = out.slice(-100_000);
    fs.appendFileSync(logFile, d);
  };
  p.stdout!.on('data', keep);
  p.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  const stop = async () => {
    killGroup(p, 'SIGTERM');
    const t = setTimeout(() => killGroup(p, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
    if (p.pid !== undefined && process.platform === 'linux') await sweepSession(p.pid);
  };
  const deadline = t0 + s.startTimeoutMs;
  while (Date.now() < deadline) {
    if (p.exitCode !== null || p.signalCode !== null) {
      return {
        ok: false,
        error: {
          step: 'start',
          message: `${s.name} exited (${p.exitCode ?? p.signalCode}) before ${s.health} answered:\n${tail(out)}`,
        },
      };
    }
    try {
      const r = await fetch(url + s.health, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200 && (!s.ready || (await s.ready(port)))) {
        return {
          ok: true,
          running: { server: s, url, port, pid: p.pid!, startMs: Date.now() - t0, log: () => out, stop },
        };
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  return {
    ok: false,
    error: {
      step: 'start',
      message: `${s.name}: ${s.health} did not answer 200 within ${s.startTimeoutMs / 1000} s:\n${tail(out)}`,
    },
  };
}
