/**
 * One conformance suite, two targets: the same checks run against a real server and against the embedded
 * personality that speaks its protocol. Each check returns what it saw, so the tier's report can show it.
 */
import { readRawSeries } from '../../src/core/bench/serverMetrics/rawSeries';
import type { ServerMetricsResult } from '../../src/core/bench/serverMetrics/types';
import type { ScrapedRun } from './serverSeries';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawRecord } from '../../src/core/bench/record';
import { copyAs } from '../../src/core/request/copyAs/copyAs';
import { buildWire } from '../../src/core/request/build/build';
import { executeWire } from '../../src/core/request/transport/execute';
import type { CopyFormat, RequestDraft, RequestTarget, TemplateId } from '../../src/shared/request';
import { defaultDraft } from '../../src/core/request/build/templates';
import type { BuildContext, GrpcWire, HttpWire, WireRequest } from '../../src/core/request/build/wire';
import type { ModelMetadata } from '../../src/core/servers/types';
import { probeServer } from '../../src/core/servers/probeServer';
import { requestServerOf, targetFromArg, type RequestServer } from '../../src/core/request/requestServers';
import { configuredServer } from '../../src/core/servers/view/identities';
import { serverNode } from '../../src/core/servers/view/serverNodes';
import { fromSnapshot } from '../../src/core/servers/view/viewState';
import { walk, type ViewNode } from '../../src/core/servers/view/viewNode';
import { repoRoot, venvsDir } from './registry';

export interface Target {
  /** "vllm (real)" or "vllm (embedded)". */
  label: string;
  url: string;
  kind: string;
  model: string;
  real: boolean;
  /** KServe v2 gRPC address and Prometheus URL, where they are not derived from the URL. */
  grpcAddress?: string;
  metricsUrl?: string;
  /** TorchServe's management API, where it is not the next port (the embedded server's ports are not adjacent). */
  managementUrl?: string;
  /** Configured model names (for a server whose model listing is restricted). */
  models?: string[];
  /** A BYTES-in, BYTES-out model. */
  bytesModel?: string;
  /** A text-generation model beside `model`. */
  textModel?: string;
  /** A decoupled (streaming) model: one BYTES text in, one response per word ("word" BYTES, "index" INT32). */
  streamModel?: string;
  /** A Triton model with one required BYTES input "text", at most 8 a batch: the refusals check sends it bad requests. */
  refusalModel?: string;
}

export interface ProcOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell unless asked), with a time limit. */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<ProcOutput> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    const t = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The CLI as users run it (`inference-lab …`), from the sources through tsx. */
export function cli(args: string[], timeoutMs = 180_000): Promise<ProcOutput> {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { timeoutMs });
}

/** `inference-lab probe --json`: the kind, version and models it names. */
export async function checkProbe(t: Target): Promise<{ kind: string; version?: string; models: string[] }> {
  const r = await cli(
    [
      'probe',
      t.url,
      '--json',
      ...(t.models ?? []).flatMap((m) => ['--model', m]),
      ...(t.managementUrl ? ['--management-url', t.managementUrl] : []),
      ...(t.metricsUrl ? ['--metrics-url', t.metricsUrl] : []),
    ],
    60_000,
  );
  assert.equal(r.code, 0, `probe exited ${r.code}: ${r.stderr}${r.stdout}`);
  const j = JSON.parse(r.stdout) as { kind: string; version?: string; status: string; models: Array<{ name: string }> };
  assert.equal(j.kind, t.kind, `probe named kind ${j.kind}`);
  assert.equal(j.status, 'ready');
  assert.ok(j.version && /\d+\.\d+/.test(j.version), `probe named version "${j.version}"`);
  const models = j.models.map((m) => m.name);
  assert.ok(models.includes(t.model), `probe listed models ${JSON.stringify(models)}, not ${t.model}`);
  return { kind: j.kind, version: j.version, models };
}

/** The Servers view's nodes for the server, built from one probe by the core view model. */
export async function serversTree(t: Target): Promise<ViewNode> {
  const { identity, config } = configuredServer({
    id: 'real',
    name: t.label,
    url: t.url,
    grpcAddress: t.grpcAddress,
    metricsUrl: t.metricsUrl,
    managementUrl: t.managementUrl,
    models: t.models,
  });
  const snap = await probeServer(config, { timeoutMs: 10_000 });
  const state = fromSnapshot(identity, snap);
  const root = serverNode(state);
  treeStates.set(root, requestServerOf({ identity, config }, state));
  return root;
}

/** The request panel's view of each tree built by serversTree (its server, models and their routes). */
const treeStates = new WeakMap<ViewNode, RequestServer>();

/**
 * The request target New Request gives for the model node named `model` under `root` (a tree from serversTree):
 * the node's id through the host's own resolution (targetFromArg), the server's state as the panel sees it.
 */
export function treeModelTarget(root: ViewNode, model: string): RequestTarget {
  const node = [...walk([root])].find(({ node: n }) => n.role === 'model' && n.model === model)?.node;
  assert.ok(node, `no model node ${model} in the tree`);
  const rs = treeStates.get(root);
  assert.ok(rs, 'not a tree from serversTree');
  const none = () => Promise.reject(new Error('not used'));
  const servers = {
    list: () => [rs],
    find: (k: string) => (k === rs.key ? rs : undefined),
    metadata: none,
    refresh: none,
  };
  const target = targetFromArg({ id: node.id }, servers);
  assert.ok(target, `no target for ${node.id}`);
  return target;
}

/** Labels of the tree under a node, by role: what a user sees when expanding it. */
export function treeLabels(root: ViewNode): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { node } of walk([root]))
    (out[node.role] ??= []).push(`${node.label}${node.description ? ` = ${node.description}` : ''}`);
  return out;
}

export const buildContext: BuildContext = { hasApiKey: false, readFile: async (p) => fs.readFileSync(p) };

export function requestTarget(t: Target): RequestTarget {
  return {
    serverId: 'real',
    serverName: t.label,
    kind: t.kind,
    baseUrl: t.url,
    model: t.model,
    grpcAddress: t.grpcAddress,
  };
}

export async function buildDraftWire(
  t: Target,
  template: TemplateId,
  edit: (d: RequestDraft) => RequestDraft = (d) => d,
  meta?: ModelMetadata,
) {
  const target = requestTarget(t);
  return buildWire(edit(defaultDraft(template, target, meta)), target, buildContext);
}

/** Sends a template's request as the request panel does (its first draft from the model's metadata, then `edit`). */
export async function sendTemplate(
  t: Target,
  template: TemplateId,
  edit?: (d: RequestDraft) => RequestDraft,
  meta?: ModelMetadata,
) {
  const wire = await buildDraftWire(t, template, edit, meta);
  const result = await executeWire(wire, { firstByteTimeoutMs: 120_000 });
  return { wire, result };
}

/** The Python of the clients venv (requests, openai, tritonclient): scripts/python/requirements/clients.txt. */
export const clientsPython = path.join(venvsDir, 'clients', 'bin', 'python');

/** Writes each copy of a request to a file and runs it for real with its interpreter; their outputs by name. */
async function runCopyFormats<K extends string>(
  wire: WireRequest,
  runners: Record<K, { format: CopyFormat; cmd: string; env?: NodeJS.ProcessEnv }>,
): Promise<Record<K, ProcOutput>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-copy-'));
  const protoDir = path.join(repoRoot, 'src', 'core', 'proto');
  const names = Object.keys(runners) as K[];
  const outs = await Promise.all(
    names.map((k) => {
      const file = path.join(dir, `${k}.txt`);
      fs.writeFileSync(file, copyAs(runners[k].format, wire, { protoDir }));
      return run(runners[k].cmd, [file], { env: runners[k].env });
    }),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return Object.fromEntries(names.map((k, i) => [k, outs[i]])) as Record<K, ProcOutput>;
}

/** Copy as curl / Python (requests) for an HTTP request, each run for real. */
export function runCopies(wire: HttpWire): Promise<{ curl: ProcOutput; python: ProcOutput }> {
  return runCopyFormats(wire, {
    curl: { format: 'curl', cmd: 'bash' },
    python: { format: 'python', cmd: clientsPython },
  });
}

/** Where `go install` put grpcurl (grpcurl_setup in servers/common.sh; cached outside the repository). */
export const grpcurlBin = path.join(os.homedir(), '.cache', 'inference-lab', 'bin', 'grpcurl');

/** Copy as grpcurl and Copy as Python (tritonclient.grpc) for a gRPC request, each run for real. */
export function runGrpcCopies(wire: GrpcWire): Promise<{ grpcurl: ProcOutput; python: ProcOutput }> {
  const env = { PATH: `${path.dirname(grpcurlBin)}:${process.env.PATH}` };
  return runCopyFormats(wire, {
    grpcurl: { format: 'grpcurl', cmd: 'bash', env },
    python: { format: 'python', cmd: clientsPython },
  });
}

/**
 * `inference-lab bench --url <t.url> --model <t.model> <args> --warmup 0 --quiet --no-server-metrics` into a temporary
 * folder (with `scrape`: `--server-metrics <url>` instead); the records of measured requests, after checking that
 * `expected` of them succeeded.
 */
export async function benchRun(
  t: Target,
  args: string[],
  expected: number,
  /** Scrape this Prometheus URL during the run and hand the result's server series (and raw file, read back) over. */
  scrape?: { url: string; onSeries(run: ScrapedRun): void },
): Promise<RawRecord[] & { result?: { server?: { tokenizer?: string } } }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-bench-'));
  const records = path.join(dir, 'records.jsonl');
  try {
    const r = await cli(
      [
        'bench',
        '--url',
        t.url,
        '--model',
        t.model,
        ...args,
        '--warmup',
        '0',
        '--out',
        path.join(dir, 'result.json'),
        '--records',
        records,
        '--quiet',
        ...(scrape ? ['--server-metrics', scrape.url] : ['--no-server-metrics']),
      ],
      300_000,
    );
    assert.equal(r.code, 0, `bench exited ${r.code}: ${r.stderr}${r.stdout}`);
    if (scrape) {
      const { serverMetrics: sm } = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as {
        serverMetrics?: ServerMetricsResult;
      };
      scrape.onSeries({ sm, raw: sm?.rawPath ? await readRawSeries(sm.rawPath) : undefined });
    }
    const recs = fs
      .readFileSync(records, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RawRecord)
      .filter((x) => x.i !== undefined);
    const ok = recs.filter((x) => x.st === 200 && !x.ek);
    assert.equal(ok.length, expected, `${ok.length}/${expected} requests succeeded: ${recs.find((x) => x.ek)?.er}`);
    return Object.assign(ok, { result: JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as object });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The probe check every suite shares: kind, version and models as `inference-lab probe` names them. */
export async function probeCheck(t: Target, o: { probe?: string }): Promise<void> {
  const p = await checkProbe(t);
  o.probe = `${p.kind} ${p.version}, models ${p.models.join(', ')}`;
}

/** The Servers view lists the target's model under the server; the gauges it shows, if any. */
export async function modelTreeCheck(t: Target, o: { tree?: string }, noGauges = 'none mapped'): Promise<void> {
  const labels = treeLabels(await serversTree(t));
  assert.ok(
    labels.model?.some((m) => m.startsWith(t.model)),
    `models ${JSON.stringify(labels.model)}`,
  );
  o.tree = `models ${labels.model?.join('; ')}; gauges ${(labels.gauge ?? []).join('; ') || noGauges}`;
}
