/**
 * `inference-lab bench`: runs a benchmark from flags or a spec file, shows
 * progress (a live line on a terminal, plain lines otherwise), prints the
 * summary table and writes the result JSON. Exit codes: 0 done, 2 unusable
 * arguments, 3 server unreachable, 4 goodput target missed, 130 interrupted.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InferenceError } from '../core/http/errors';
import type { ProgressEvent, StepInfo } from '../core/bench/events';
import { writeResultFile } from '../core/bench/resultFile';
import { runBenchmark } from '../core/bench/runBenchmark';
import { groupApis, type BenchSpec, type DatasetFormat, type LengthSpec, type TraceFormat } from '../core/bench/spec';
import { loadSpecFile, parseSpecText } from '../core/bench/specFile';
import { BenchSpecError, specLimits } from '../core/bench/specNormalize';
import { parseSlo } from '../core/bench/sloText';
import { parseLora } from '../core/bench/loraText';
import { formatServerMetrics } from '../core/bench/serverMetrics/summary';
import { formatSnapshot, formatSummaryTable } from '../core/bench/summaryTable';
import { formatSessions } from '../core/bench/workload/sessions';
import { formatPrefixCache } from '../core/bench/prefixCache';
import { CancelledError } from '../core/util/abort';
import { consoleLogger } from '../core/util/logger';
import { terminalSafe, terminalSafeLine } from '../core/util/terminalText';
import type { BenchResult } from '../core/bench/result';
import { exitCodes } from './exitCodes';
import { checkWritable, OutputPathError } from './outputPaths';
import type { CliCommand } from './main';
import { runScaleMode, scaleFlags, scaleUsage } from './scale';

const usage = `inference-lab bench --url URL --group text-generation|image-classification|embeddings [--model M]
       [--concurrency 1,8,32 | --rate 2,8,inf | --sweep] [--requests N | --duration 30s] [--warmup N]
       [--input-tokens N[:STD] --output-tokens N[:STD]] [--batch-sizes 1,8,32] [--profile vllm|genai-perf|guidellm|aiperf]
       [--slo ttft=200,tpot=50,e2el=2000 --min-goodput 0.9] [--out result.json]
   or: inference-lab bench --spec FILE [any option above to override the file]

More options: --api (wire protocol; detected from the server when left out):
${Object.entries(groupApis)
  .map(([g, apis]) => `    ${g}: ${apis.join('|')}`)
  .join('\n')}
  --burstiness B (open-loop gamma shape, 1 = Poisson)  --max-in-flight N  --timeout 120s  --seed N
  --dataset FILE (.jsonl, ShareGPT .json, Hugging Face .parquet)  --dataset-format jsonl|json|parquet
  --trace FILE (replay Mooncake .jsonl, Azure or BurstGPT .csv at recorded times)  --trace-format mooncake|azure|burstgpt  --speed X
  --capacity (find the highest load meeting --slo; --min-goodput makes it a share)  --capacity-dimension rate|concurrency
  --capacity-start X  --capacity-max X  --slo-percentile 99  --confidence 0.95
  --sessions USERS (multi-turn chat: each user's history grows by its answers)  --turns N (4)  --think-time 2s
  --conversations N (in all; default one per user)  --from-dataset (replay --dataset's own conversations:
    their first --turns human turns are one session's user turns)
  --prefix-groups N --prefix-tokens P (requests in N groups, each sharing a prefix of P server tokens; prefix-cache hit rate)
  --offline QUERIES (MLPerf Offline: all queries at once per batch size, judged on throughput)  --min-throughput X
  --offline-min-duration 600s  --offline-min-queries 24576 (a valid Offline run's minimums; MLPerf's by default)
  --lora sql-lora=3,chat-lora=1 (LoRA traffic: requests name these adapters in the model field, by weight; default 1)
  --prompt-field COLUMN  --max-prompts N (default 1024)  --no-ignore-eos  --images-dir DIR  --shape 3,224,224  --grpc host:port
  --percentiles 50,90,99  --api-key-env NAME (read the key from this variable)  --records FILE  --quiet
  --max-error-rate 0.5 (stop once more than this share of the last 50 requests failed)
  --failure-grace 15s (how long a failing server is retried, with back-off, before the run stops)
  Server metrics (read every second by default, from the server kind's own Prometheus port and path):
  --server-metrics URL (another endpoint)  --no-server-metrics  --server-metrics-interval 1s
  --dcgm-url URL (DCGM exporter for GPU figures; else nvidia-smi when present)  --container ID|NAME (Docker stats)

${scaleUsage}

Limits: --concurrency and --max-in-flight at most ${specLimits.concurrency}, --requests a whole number up to 2^53 - 1, --timeout at most 1 day.

Exit codes: 0 done, 1 unexpected failure, 2 unusable arguments or output path, 3 server unreachable or no answer
within --timeout, 4 goodput target missed (capacity: no load met the SLO), 5 server error (malformed answer, HTTP 5xx), 6 authentication failed,
7 server failed during the run (result saved, incomplete), 8 result file not written (summary printed, records kept),
130 interrupted (result saved, incomplete).`;

const options = {
  spec: { type: 'string' },
  url: { type: 'string' },
  group: { type: 'string' },
  api: { type: 'string' },
  model: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  sweep: { type: 'boolean' },
  requests: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  'input-tokens': { type: 'string' },
  'output-tokens': { type: 'string' },
  'batch-sizes': { type: 'string' },
  profile: { type: 'string' },
  slo: { type: 'string' },
  'min-goodput': { type: 'string' },
  out: { type: 'string' },
  records: { type: 'string' },
  burstiness: { type: 'string' },
  'max-in-flight': { type: 'string' },
  timeout: { type: 'string' },
  seed: { type: 'string' },
  dataset: { type: 'string' },
  'dataset-format': { type: 'string' },
  'prompt-field': { type: 'string' },
  'max-prompts': { type: 'string' },
  lora: { type: 'string' },
  offline: { type: 'string' },
  'min-throughput': { type: 'string' },
  'offline-min-duration': { type: 'string' },
  'offline-min-queries': { type: 'string' },
  trace: { type: 'string' },
  'trace-format': { type: 'string' },
  speed: { type: 'string' },
  capacity: { type: 'boolean' },
  'capacity-dimension': { type: 'string' },
  'capacity-start': { type: 'string' },
  'capacity-max': { type: 'string' },
  'slo-percentile': { type: 'string' },
  sessions: { type: 'string' },
  'prefix-groups': { type: 'string' },
  'prefix-tokens': { type: 'string' },
  turns: { type: 'string' },
  'think-time': { type: 'string' },
  conversations: { type: 'string' },
  'from-dataset': { type: 'boolean' },
  confidence: { type: 'string' },
  'no-ignore-eos': { type: 'boolean' },
  'images-dir': { type: 'string' },
  shape: { type: 'string' },
  grpc: { type: 'string' },
  percentiles: { type: 'string' },
  'api-key-env': { type: 'string' },
  quiet: { type: 'boolean' },
  'server-metrics': { type: 'string' },
  'no-server-metrics': { type: 'boolean' },
  'server-metrics-interval': { type: 'string' },
  'dcgm-url': { type: 'string' },
  container: { type: 'string' },
  'spec-json': { type: 'string' },
  ...scaleFlags,
  'max-error-rate': { type: 'string' },
  'failure-grace': { type: 'string' },
} as const;

function num(flag: string, v: string, integer = false): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new BenchSpecError(`--${flag}: "${v}" is not a${integer ? ' whole' : ''} number`);
  return n;
}

const list = (flag: string, v: string, integer = false) => v.split(',').map((x) => num(flag, x.trim(), integer));

/** "30s", "2m", "500ms", "1h" or plain seconds → seconds. */
export function parseDuration(flag: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new BenchSpecError(`--${flag}: "${v}" is not a duration (e.g. 30s, 2m, 500ms)`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
}

function length(flag: string, v: string): LengthSpec {
  const [mean, std] = v.split(':');
  return std === undefined ? { mean: num(flag, mean, true) } : { mean: num(flag, mean), std: num(flag, std) };
}

type Values = ReturnType<typeof parseArgs<{ options: typeof options; strict: true }>>['values'];

/** Applies the flags over a base spec (a spec file's, or empty). */
export function specFromFlags(v: Values, base: Partial<BenchSpec> = {}): BenchSpec {
  const s = { ...base, load: { ...base.load } } as BenchSpec;
  if (v.url) s.url = v.url;
  if (v.group) s.group = v.group as BenchSpec['group'];
  if (v.api) s.api = v.api as BenchSpec['api'];
  if (v.model) s.model = v.model;
  if (v.concurrency || v.rate || v.sweep || v.trace || v.capacity || v.sessions || v.offline)
    s.load = { burstiness: s.load.burstiness, maxInFlight: s.load.maxInFlight };
  if (v.sessions) s.load.sessions = { users: num('sessions', v.sessions, true) };
  if (v.offline) s.load.offline = { queries: num('offline', v.offline, true) };
  if (v['min-throughput']) {
    if (!s.load.offline)
      throw new BenchSpecError('--min-throughput goes with --offline QUERIES (or load.offline in the spec)');
    s.load.offline = { ...s.load.offline, minThroughput: num('min-throughput', v['min-throughput']) };
  }
  if (v['offline-min-duration'] || v['offline-min-queries']) {
    if (!s.load.offline)
      throw new BenchSpecError(
        '--offline-min-duration and --offline-min-queries go with --offline QUERIES (or load.offline in the spec)',
      );
    if (v['offline-min-duration'])
      s.load.offline = {
        ...s.load.offline,
        minDurationSec: parseDuration('offline-min-duration', v['offline-min-duration']),
      };
    if (v['offline-min-queries'])
      s.load.offline = { ...s.load.offline, minQueries: num('offline-min-queries', v['offline-min-queries'], true) };
  }
  if (v.turns || v['think-time'] || v.conversations || v['from-dataset']) {
    if (!s.load.sessions)
      throw new BenchSpecError(
        '--turns, --think-time, --conversations and --from-dataset go with --sessions USERS (or load.sessions in the spec)',
      );
    s.load.sessions = {
      ...s.load.sessions,
      ...(v.turns && { turns: num('turns', v.turns, true) }),
      ...(v['think-time'] && { thinkTimeSec: parseDuration('think-time', v['think-time']) }),
      ...(v.conversations && { conversations: num('conversations', v.conversations, true) }),
      ...(v['from-dataset'] && { fromDataset: true }),
    };
  }
  if (v.trace) s.load.trace = { file: v.trace };
  if (v.capacity) s.load.capacity = {};
  const cap = {
    'capacity-dimension': 'dimension',
    'capacity-start': 'start',
    'capacity-max': 'max',
    'slo-percentile': 'percentile',
    confidence: 'confidence',
  } as const;
  for (const [flag, key] of Object.entries(cap) as Array<[keyof typeof cap, (typeof cap)[keyof typeof cap]]>) {
    const value = v[flag];
    if (value === undefined) continue;
    if (!s.load.capacity) throw new BenchSpecError(`--${flag} goes with --capacity (or load.capacity in the spec)`);
    if (key === 'dimension') {
      if (value !== 'rate' && value !== 'concurrency')
        throw new BenchSpecError(`--capacity-dimension: "${value}" is not rate or concurrency`);
      s.load.capacity.dimension = value;
    } else s.load.capacity[key] = num(flag, value);
  }
  if (v['trace-format'] || v.speed) {
    if (!s.load.trace)
      throw new BenchSpecError('--trace-format and --speed go with --trace FILE (or load.trace in the spec)');
    s.load.trace = {
      ...s.load.trace,
      ...(v['trace-format'] && { format: v['trace-format'] as TraceFormat }),
      ...(v.speed && { speed: num('speed', v.speed) }),
    };
  }
  if (v.concurrency) s.load.concurrency = list('concurrency', v.concurrency, true);
  if (v.rate) s.load.rate = v.rate.split(',').map((r) => (r.trim() === 'inf' ? Infinity : num('rate', r.trim())));
  if (v.sweep) s.load.sweep = true;
  if (v.burstiness) s.load.burstiness = num('burstiness', v.burstiness);
  if (v['max-in-flight']) s.load.maxInFlight = num('max-in-flight', v['max-in-flight'], true);
  if (v.requests) {
    s.requests = num('requests', v.requests, true);
    if (!v.duration) delete s.durationSec;
  }
  if (v.duration) {
    s.durationSec = parseDuration('duration', v.duration);
    if (!v.requests) delete s.requests;
  }
  if (v.warmup) s.warmup = num('warmup', v.warmup, true);
  if (v.timeout) s.timeoutSec = parseDuration('timeout', v.timeout);
  if (v.seed) s.seed = num('seed', v.seed, true);
  if (v.profile) s.profile = v.profile as BenchSpec['profile'];
  if (v.percentiles) s.percentiles = list('percentiles', v.percentiles);
  if (v.slo) s.slo = parseSlo(v.slo);
  if (v['min-goodput']) s.minGoodput = num('min-goodput', v['min-goodput']);
  if (v['max-error-rate']) s.maxErrorRate = num('max-error-rate', v['max-error-rate']);
  if (v['failure-grace']) s.failureGraceSec = parseDuration('failure-grace', v['failure-grace']);
  if (v['api-key-env']) s.apiKeyEnv = v['api-key-env'];
  if (v.grpc) s.grpcAddress = v.grpc;
  const text = { ...s.text };
  if (v['input-tokens']) text.inputTokens = length('input-tokens', v['input-tokens']);
  if (v['output-tokens']) text.outputTokens = length('output-tokens', v['output-tokens']);
  if (v.dataset) text.dataset = v.dataset;
  if (v['dataset-format']) text.datasetFormat = v['dataset-format'] as DatasetFormat;
  if (v['prompt-field']) text.promptField = v['prompt-field'];
  if (v['max-prompts']) text.maxPrompts = num('max-prompts', v['max-prompts'], true);
  if (v['no-ignore-eos']) text.ignoreEos = false;
  if (v['prefix-groups'] || v['prefix-tokens']) {
    if (!v['prefix-groups'] || !v['prefix-tokens'])
      throw new BenchSpecError(
        '--prefix-groups and --prefix-tokens go together (e.g. --prefix-groups 4 --prefix-tokens 512)',
      );
    text.sharedPrefix = {
      groups: num('prefix-groups', v['prefix-groups'], true),
      tokens: num('prefix-tokens', v['prefix-tokens'], true),
    };
  }
  if (v.lora) text.lora = parseLora(v.lora);
  if (Object.keys(text).length) s.text = text;
  if (v['server-metrics'] || v['server-metrics-interval'] || v['dcgm-url'] || v.container || v['no-server-metrics']) {
    if (v['no-server-metrics'] && (v['server-metrics'] || v['server-metrics-interval'] || v['dcgm-url']))
      throw new BenchSpecError(
        '--no-server-metrics cannot be combined with --server-metrics, --server-metrics-interval or --dcgm-url',
      );
    const m =
      typeof s.serverMetrics === 'object'
        ? { ...s.serverMetrics }
        : s.serverMetrics === false
          ? { enabled: false }
          : {};
    if (v['no-server-metrics']) m.enabled = false;
    if (v['server-metrics']) m.url = v['server-metrics'];
    if (v['server-metrics-interval'])
      m.intervalSec = parseDuration('server-metrics-interval', v['server-metrics-interval']);
    if (v['dcgm-url']) m.dcgmUrl = v['dcgm-url'];
    if (v.container) m.container = v.container;
    if (v['server-metrics'] || v['server-metrics-interval'] || v['dcgm-url']) m.enabled = true;
    s.serverMetrics = m;
  }
  const sizes = v['batch-sizes'] ? list('batch-sizes', v['batch-sizes'], true) : undefined;
  if (s.group === 'embeddings' && (sizes || v['input-tokens']))
    s.embeddings = {
      ...s.embeddings,
      ...(sizes && { batchSizes: sizes }),
      ...(v['input-tokens'] && { inputTokens: length('input-tokens', v['input-tokens']) }),
    };
  if (s.group === 'image-classification' && (sizes || v['images-dir'] || v.shape)) {
    s.image = {
      ...s.image,
      ...(sizes && { batchSizes: sizes }),
      ...(v['images-dir'] && { imagesDir: v['images-dir'] }),
      ...(v.shape && { shape: list('shape', v.shape, true) }),
    };
  }
  if (!s.url) throw new BenchSpecError('--url is required (or a spec file with "url")');
  if (!s.group) throw new BenchSpecError('--group is required: text-generation, image-classification or embeddings');
  return s;
}

/** Where records go: next to the result file, else a timestamped file in the current folder. */
function recordsPathFor(out: string | undefined, explicit: string | undefined): string {
  if (explicit) return explicit;
  if (out) return path.join(path.dirname(out), `${path.basename(out, path.extname(out))}.records.jsonl`);
  return `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.records.jsonl`;
}

/** Progress to stderr: one rewritten line on a terminal, plain lines otherwise. */
function progressPrinter(quiet: boolean): (e: ProgressEvent) => void {
  const tty = process.stderr.isTTY === true;
  const steps = new Map<number, StepInfo>();
  let live = false;
  const line = (text: string) => {
    if (tty) process.stderr.write(`\r\x1b[2K${terminalSafeLine(text).slice(0, (process.stderr.columns ?? 120) - 1)}`);
    else process.stderr.write(`${terminalSafeLine(text)}\n`);
    live = tty;
  };
  const plain = (text: string) => {
    if (live) process.stderr.write('\n');
    live = false;
    process.stderr.write(`${terminalSafeLine(text)}\n`);
  };
  return (e) => {
    if (quiet) return;
    if (e.type === 'run-start')
      plain(
        `bench: ${e.server.kind ?? 'server'} ${e.server.version ?? ''} model ${e.server.model ?? '?'} via ${e.api}`,
      );
    else if (e.type === 'step-start') {
      steps.set(e.step.index, e.step);
      plain(`step ${e.step.index + 1}: ${e.step.label}${e.step.warmup ? ` (warm-up ${e.step.warmup})` : ''}`);
    } else if (e.type === 'snapshot') {
      const info = steps.get(e.step);
      const planned = info?.requests;
      const bar = planned
        ? `[${'#'.repeat(Math.round(((e.completed + e.failed) / planned) * 20)).padEnd(20, '.')}] `
        : '';
      line(bar + formatSnapshot(info?.label ?? `step ${e.step + 1}`, e, planned));
    } else if (e.type === 'step-end')
      plain(
        `step ${e.step.index + 1} done: ${e.step.summary.counts.completed} ok, ${e.step.summary.counts.failed} failed in ${e.step.summary.durationSec.toFixed(1)} s`,
      );
    else if (e.type === 'warning') plain(`warning: ${e.message}`);
  };
}

/** The exit code of a run that ended with an error (see exitCodes and docs/cli.md). */
export function exitCodeFor(e: unknown, interrupted = false): number {
  if (interrupted) return exitCodes.interrupted;
  if (e instanceof BenchSpecError || e instanceof OutputPathError) return exitCodes.usage;
  if (e instanceof InferenceError) {
    switch (e.kind) {
      case 'connection-refused':
      case 'connection-reset':
      case 'dns':
      case 'tls':
      case 'timeout':
        return exitCodes.unreachable;
      case 'invalid-url':
        return exitCodes.usage;
      case 'auth':
        return exitCodes.authFailed;
      case 'cancelled':
        return exitCodes.interrupted;
      case 'malformed':
      case 'in-stream':
        return exitCodes.serverError;
      case 'http':
        // 4xx: the server rejects what we asked for (model, API, limits); 5xx and the rest: the server is at fault.
        return e.status !== undefined && e.status >= 400 && e.status < 500 ? exitCodes.usage : exitCodes.serverError;
      default:
        return exitCodes.unexpected;
    }
  }
  return exitCodes.unexpected;
}

/** The exit code of a run that produced a result. */
export function exitCodeOf(result: BenchResult): number {
  if (result.incomplete) return result.stoppedBy === 'server-failed' ? exitCodes.serverFailed : exitCodes.interrupted;
  if (result.capacity)
    return result.capacity.searches.some((s) => s.capacity === null) ? exitCodes.goodputMissed : exitCodes.ok;
  // A step in which every request failed measured nothing: a broken server never reads as a good run.
  if (result.steps.some((s) => s.summary.counts.completed === 0 && s.summary.counts.failed > 0))
    return exitCodes.serverError;
  if (result.offline?.some((v) => !v.pass)) return exitCodes.goodputMissed;
  return result.goodput && !result.goodput.met ? exitCodes.goodputMissed : exitCodes.ok;
}

/** What the CLI prints: every server-controlled string in it is made terminal-safe first. */
const out = (text: string) => console.log(terminalSafe(text));
const err = (text: string) => console.error(terminalSafe(text));

async function run(argv: string[]): Promise<number> {
  let values: Values;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    err(`inference-lab bench: ${(e as Error).message}\n\nusage: ${usage}`);
    return exitCodes.usage;
  }
  const ctrl = new AbortController();
  const onSignal = () => {
    process.stderr.write('\nbench: interrupted, finishing what is in flight and keeping what was measured…\n');
    ctrl.abort(new CancelledError('Interrupted (Ctrl-C)'));
  };
  process.once('SIGINT', onSignal);
  try {
    const spec = specFromFlags(
      values,
      values['spec-json'] !== undefined
        ? parseSpecText(values['spec-json'], '--spec-json')
        : values.spec
          ? await loadSpecFile(values.spec)
          : {},
    );
    const apiKey = spec.apiKeyEnv ? process.env[spec.apiKeyEnv] : undefined;
    if (spec.apiKeyEnv && !apiKey) throw new BenchSpecError(`--api-key-env: the variable ${spec.apiKeyEnv} is not set`);
    const outPath = values.out ?? spec.out;
    const recordsPath = recordsPathFor(outPath, values.records);
    // Both files are checked before anything is sent: a run must not be lost to a path found unwritable at the end.
    // A streaming shard worker writes neither (its records go to the temp folder, everything else to stdout), and
    // runs in a container whose working folder is read-only to it.
    const streamsOnStdio = values.shard !== undefined && values['shard-stream'] === true;
    if (!streamsOnStdio)
      for (const [flag, file] of [
        ['--out', outPath],
        ['--records', recordsPath],
      ] as const)
        if (file) checkWritable(flag, file);
    const onProgress = progressPrinter(values.quiet === true);
    const scaled = await runScaleMode(values, spec, {
      recordsPath,
      signal: ctrl.signal,
      apiKey,
      onProgress,
      quiet: values.quiet === true,
      parseDuration,
    });
    if (typeof scaled === 'number') return scaled;
    const result =
      scaled ??
      (await runBenchmark(spec, {
        signal: ctrl.signal,
        recordsPath,
        apiKey,
        onProgress,
        logger: consoleLogger('warn'),
      }));
    let written = true;
    if (outPath) {
      try {
        writeResultFile(outPath, result);
      } catch (e) {
        written = false;
        err(`inference-lab bench: could not write the result to ${outPath}: ${(e as Error).message}`);
      }
    }
    const capacity =
      result.capacity?.searches.flatMap((s) => [
        ...s.points.map((p) => `  ${p.scenario.line} [${p.judgement.verdict}]`),
        `Capacity: ${s.statement}`,
      ]) ?? [];
    const offline = result.offline?.map((v) => v.line) ?? [];
    const sessions = result.steps.flatMap((st) => (st.sessions ? [formatSessions(st.sessions)] : []));
    out(
      formatSummaryTable(result) +
        (capacity.length ? `\n${capacity.join('\n')}` : '') +
        (offline.length ? `\n${offline.join('\n')}` : '') +
        (sessions.length ? `\n${sessions.join('\n')}` : '') +
        (result.prefixCache ? `\n${formatPrefixCache(result.prefixCache)}` : '') +
        (result.serverMetrics ? `\n\n${formatServerMetrics(result.serverMetrics)}` : '') +
        (outPath && written ? `\nResult: ${outPath}` : ''),
    );
    if (!written) {
      err(`The summary above and the raw records (${recordsPath}) are kept.`);
      return exitCodes.writeFailed;
    }
    return exitCodeOf(result);
  } catch (e) {
    const code = exitCodeFor(e, ctrl.signal.aborted);
    // A server's error may quote its body: kept on one line, so it cannot fake further lines (err escapes the rest).
    const message = e instanceof Error ? e.message : String(e);
    err(
      `inference-lab bench: ${e instanceof InferenceError ? terminalSafeLine(message) : message}${code === 2 && e instanceof BenchSpecError && /required/.test(e.message) ? `\n\nusage: ${usage}` : ''}`,
    );
    return code;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

export const benchCommand: CliCommand = {
  summary:
    'Benchmark a server: text generation, image classification or embeddings, with vLLM, GenAI-Perf or GuideLLM metric definitions.',
  usage,
  run,
};
