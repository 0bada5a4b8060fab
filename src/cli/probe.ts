/**
 * `inference-lab probe <url>`: detect the server, check its health, list its
 * models. Exit codes (this command's own): 0 reachable and recognized,
 * 2 unreachable (or an invalid URL or arguments), 3 reachable but not
 * recognized (also when authentication is required). `--json` prints one
 * JSON object that still says what was seen when nothing matched.
 */
import { parseArgs } from 'node:util';
import { redactUrl } from '../shared/redact';
import { terminalSafe } from '../core/util/terminalText';
import { defaultProbeTimeoutMs, detectServer, type DetectResult } from '../core/servers/detect';
import { probeServer } from '../core/servers/probeServer';
import { kindLabels } from '../core/servers/registry';
import { formatProbeReport, probeReport } from '../core/servers/probeReport';
import type { ServerSnapshot } from '../core/servers/snapshot';
import { isServerKind, serverKinds, type ServerKind } from '../core/servers/types';
import type { CliCommand } from './main';

const usage = `inference-lab probe <url> [--json] [--timeout ms] [--api-key-env NAME] [--kind ${serverKinds.join('|')}] [--model NAME]... [--management-url URL] [--metrics-url URL] [--grpc HOST:PORT] [--allow-self-signed]`;

interface ProbeArgs {
  url: string;
  json: boolean;
  timeoutMs: number;
  apiKey?: string;
  kind?: ServerKind;
  models?: string[];
  managementUrl?: string;
  metricsUrl?: string;
  grpcAddress?: string;
  allowSelfSigned: boolean;
}

function readArgs(argv: string[]): ProbeArgs | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'api-key-env': { type: 'string' },
        kind: { type: 'string' },
        model: { type: 'string', multiple: true },
        'management-url': { type: 'string' },
        'metrics-url': { type: 'string' },
        grpc: { type: 'string' },
        'allow-self-signed': { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    return (e as Error).message;
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1)
    return positionals.length ? `expected one URL, got ${positionals.length}` : 'missing the server URL';
  const timeoutMs = v.timeout === undefined ? defaultProbeTimeoutMs : Number(v.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    return `--timeout must be a positive number of milliseconds, got "${v.timeout}"`;
  if (v.kind !== undefined && !isServerKind(v.kind)) return `--kind must be one of ${serverKinds.join(', ')}`;
  let apiKey: string | undefined;
  const envName = v['api-key-env'];
  if (envName !== undefined) {
    apiKey = process.env[envName];
    // Name the variable, never its value.
    if (!apiKey) return `environment variable ${envName} (from --api-key-env) is not set or empty`;
  }
  return {
    url: positionals[0],
    json: v.json ?? false,
    timeoutMs,
    apiKey,
    kind: v.kind as ServerKind | undefined,
    models: v.model,
    managementUrl: v['management-url'],
    metricsUrl: v['metrics-url'],
    grpcAddress: v.grpc,
    allowSelfSigned: v['allow-self-signed'] ?? false,
  };
}

function exitCode(d: DetectResult, snap?: ServerSnapshot): number {
  if (d.outcome === 'unreachable' || snap?.status === 'unreachable') return 2;
  if (d.outcome !== 'recognized' || snap?.status === 'unrecognized') return 3;
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const args = readArgs(argv);
  if (typeof args === 'string') {
    console.error(terminalSafe(`inference-lab probe: ${args}\nusage: ${usage}`));
    return 2;
  }
  const opts = {
    timeoutMs: args.timeoutMs,
    apiKey: args.apiKey,
    allowSelfSigned: args.allowSelfSigned,
    models: args.models,
  };
  // A given --kind skips fingerprinting; detection still validates the URL cheaply.
  const detected: DetectResult = args.kind
    ? {
        kind: args.kind,
        outcome: 'recognized',
        evidence: `given as --kind ${args.kind} (${kindLabels[args.kind]})`,
        seen: {},
      }
    : await detectServer(args.url, opts);
  let snap: ServerSnapshot | undefined;
  if (detected.outcome === 'recognized' && detected.kind) {
    const side = { managementUrl: args.managementUrl, metricsUrl: args.metricsUrl, grpcAddress: args.grpcAddress };
    const config = {
      id: 'cli',
      name: args.url,
      url: detected.baseUrl ?? args.url,
      kind: detected.kind,
      ...opts,
      ...side,
    };
    snap = await probeServer(config, {
      known: { kind: detected.kind, version: detected.version, justNow: !args.kind },
    });
  }
  const report = probeReport(detected, snap);
  // JSON keeps the server's raw values (JSON escapes control characters); text is made terminal-safe. Neither shows credentials.
  console.log(args.json ? JSON.stringify(report) : terminalSafe(formatProbeReport(redactUrl(args.url), report)));
  return exitCode(detected, snap);
}

export const probeCommand: CliCommand = {
  summary:
    'Detect an inference server, check its health and list its models (exit 0 recognized, 2 unreachable, 3 unrecognized).',
  usage,
  run,
};
