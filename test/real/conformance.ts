/**
 * One conformance suite, two targets: the same checks run against a real server and against the embedded
 * personality that speaks its protocol. Each check returns what it saw, so the tier's report can show it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyAs } from '../../src/core/request/copyAs/copyAs';
import { buildWire } from '../../src/core/request/build';
import { executeWire } from '../../src/core/request/execute';
import type { RequestDraft, RequestTarget, TemplateId } from '../../src/shared/request';
import { defaultDraft } from '../../src/core/request/templates';
import type { BuildContext, HttpWire } from '../../src/core/request/wire';
import { probeServer } from '../../src/core/servers/probeServer';
import { configuredServer } from '../../src/core/servers/view/identities';
import { serverNode } from '../../src/core/servers/view/serverNodes';
import { fromSnapshot } from '../../src/core/servers/view/viewState';
import { walk, type ViewNode } from '../../src/core/servers/view/viewNode';
import { repoRoot, venvsDir } from './registry';

export interface Target {
  /** "vllm 0.32.0 (real)" or "vllm (embedded)". */
  label: string;
  url: string;
  kind: string;
  model: string;
  real: boolean;
}

export interface ProcOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell unless asked), with a time limit. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<ProcOutput> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: opts.cwd ?? repoRoot, env: { ...process.env, NODE_OPTIONS: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const r = await cli(['probe', t.url, '--json'], 60_000);
  assert.equal(r.code, 0, `probe exited ${r.code}: ${r.stderr}${r.stdout}`);
  const j = JSON.parse(r.stdout) as { kind: string; version?: string; status: string; models: Array<{ name: string }> };
  assert.equal(j.kind, t.kind, `probe named kind ${j.kind}`);
  assert.equal(j.status, 'ready');
  assert.ok(j.version && /^\d+\.\d+/.test(j.version), `probe named version "${j.version}"`);
  const models = j.models.map((m) => m.name);
  assert.ok(models.includes(t.model), `probe listed models ${JSON.stringify(models)}, not ${t.model}`);
  return { kind: j.kind, version: j.version, models };
}

/** The Servers view's nodes for the server, built from one probe by the core view model. */
export async function serversTree(t: Target): Promise<ViewNode> {
  const { identity, config } = configuredServer({ id: 'real', name: t.label, url: t.url });
  const snap = await probeServer(config, { timeoutMs: 10_000 });
  return serverNode(fromSnapshot(identity, snap));
}

/** Labels of the tree under a node, by role: what a user sees when expanding it. */
export function treeLabels(root: ViewNode): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { node } of walk([root])) (out[node.role] ??= []).push(`${node.label}${node.description ? ` = ${node.description}` : ''}`);
  return out;
}

const ctx: BuildContext = { hasApiKey: false, readFile: async (p) => fs.readFileSync(p) };

export function requestTarget(t: Target): RequestTarget {
  return { serverId: 'real', serverName: t.label, kind: t.kind, baseUrl: t.url, model: t.model };
}

export async function buildDraftWire(t: Target, template: TemplateId, edit: (d: RequestDraft) => RequestDraft = (d) => d) {
  const target = requestTarget(t);
  return buildWire(edit(defaultDraft(template, target)), target, ctx);
}

/** Sends a template's request as the request panel does. */
export async function sendTemplate(t: Target, template: TemplateId, edit?: (d: RequestDraft) => RequestDraft) {
  const wire = await buildDraftWire(t, template, edit);
  const result = await executeWire(wire, { firstByteTimeoutMs: 120_000 });
  return { wire, result };
}

/** The Python of the clients venv (requests, openai, tritonclient): scripts/python/requirements/clients.txt. */
export const clientsPython = path.join(venvsDir, 'clients', 'bin', 'python');

/** Copy as curl / Python for an HTTP request, each run for real; returns their outputs. */
export async function runCopies(wire: HttpWire): Promise<{ curl: ProcOutput; python: ProcOutput }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-copy-'));
  const protoDir = path.join(repoRoot, 'src', 'core', 'proto');
  const curlScript = path.join(dir, 'req.sh');
  fs.writeFileSync(curlScript, copyAs('curl', wire, { protoDir }));
  const pyScript = path.join(dir, 'req.py');
  fs.writeFileSync(pyScript, copyAs('python', wire, { protoDir }));
  const [curl, python] = await Promise.all([run('bash', [curlScript]), run(clientsPython, [pyScript])]);
  fs.rmSync(dir, { recursive: true, force: true });
  return { curl, python };
}
