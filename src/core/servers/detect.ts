/**
 * Server detection: every adapter's fingerprint probes go out at once (they
 * are all harmless GETs, deduplicated by the probe session), and the answer
 * is decided in the priority order of wire-reference §0.1 as soon as the
 * higher-priority matchers have spoken; what is still in flight is then
 * cancelled. When nothing matches, the result says why (unreachable, with
 * the transport error; authentication failed; or what each path answered).
 */
import { InferenceError, toInferenceError, type InferenceErrorKind } from '../http/errors';
import { ProbeSession, type ProbeAnswer } from './probeSession';
import { detectionOrder, createAdapter } from './registry';
import { normalizeBaseUrl, ServerHttp } from './serverHttp';
import type { ServerKind } from './types';

export interface DetectOptions {
  signal?: AbortSignal;
  /** Limit for each probe request (default 2500 ms). */
  timeoutMs?: number;
  apiKey?: string;
  allowSelfSigned?: boolean;
  /** Model names to try on servers that cannot list (TF Serving). */
  models?: string[];
}

export type DetectOutcome = 'recognized' | 'unreachable' | 'auth-failed' | 'unrecognized';

export interface DetectResult {
  kind: ServerKind | null;
  version?: string;
  outcome: DetectOutcome;
  /** Which evidence matched, or why nothing did, in one sentence. */
  evidence: string;
  /** The base URL probed (normalized; an OpenAI-style trailing `/v1` removed). */
  baseUrl?: string;
  /** What each probed path answered: `{"GET /v2": "404 application/json {…}"}`. */
  seen: Record<string, string>;
  /** The transport error when the server could not be reached. */
  error?: { kind: InferenceErrorKind; message: string };
}

export const defaultProbeTimeoutMs = 2500;

/** Why a signal aborted, as an InferenceError: 'timeout' for a time budget, 'cancelled' for the caller. */
export function abortError(signal: AbortSignal): InferenceError {
  return toInferenceError(signal.reason ?? new InferenceError('cancelled', 'Cancelled'));
}

/** Worst first: the error that best explains why nothing answered. */
const errorRank: InferenceErrorKind[] = [
  'invalid-url',
  'tls',
  'dns',
  'connection-refused',
  'auth',
  'connection-reset',
  'timeout',
  'malformed',
  'http',
  'unknown',
  'cancelled',
];

function worstError(answers: ProbeAnswer[]): InferenceError | undefined {
  const errors = answers.flatMap((a) => (a.reached ? [] : [a.error]));
  return errors.sort((a, b) => errorRank.indexOf(a.kind) - errorRank.indexOf(b.kind))[0];
}

/** The result when no fingerprint matched: unreachable (with the transport error), authentication failed, or unrecognized. */
export function classifyUnmatched(answers: ProbeAnswer[], seen: Record<string, string>, baseUrl: string): DetectResult {
  const reached = answers.filter((a): a is Extract<ProbeAnswer, { reached: true }> => a.reached);
  if (!reached.length) {
    const worst = worstError(answers);
    // Re-read the failure against the base URL, so the message names the server, not a probe path.
    const e = worst
      ? toInferenceError(worst.details.cause ?? worst, baseUrl)
      : new InferenceError('unknown', `No answer from ${baseUrl}`);
    // A server that answered something we could not read (a 2 MB header, a broken status line) was reached: not "unreachable".
    if (e.kind === 'malformed')
      return {
        kind: null,
        outcome: 'unrecognized',
        evidence: `Reached, but its answers could not be read: ${e.message}`,
        baseUrl,
        seen,
        error: { kind: e.kind, message: e.message },
      };
    return {
      kind: null,
      outcome: 'unreachable',
      evidence: e.message,
      baseUrl,
      seen,
      error: { kind: e.kind, message: e.message },
    };
  }
  const denied = reached.find((a) => a.status === 401 || a.status === 403);
  if (denied) {
    const evidence = `Authentication failed (HTTP ${denied.status}): the server is reachable but refuses ${denied.status === 401 ? 'requests without a valid API key' : 'this API key'}; set or check the API key for this server and probe again.`;
    return { kind: null, outcome: 'auth-failed', evidence, baseUrl, seen };
  }
  const html = reached.some(
    (a) => /text\/html/i.test(a.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(a.text),
  );
  const evidence = `Reachable but not a recognized inference server${html ? ' (it answers with HTML pages, like a web server default page)' : ''}: none of the known server fingerprints matched (what each probed path answered is listed under "seen").`;
  return { kind: null, outcome: 'unrecognized', evidence, baseUrl, seen };
}

/** Detects the kind of inference server at `baseUrl`. Never throws except when cancelled by `signal`. */
export async function detectServer(baseUrl: string, opts: DetectOptions = {}): Promise<DetectResult> {
  let base: string;
  try {
    // An OpenAI-style base (".../v1") is probed at the server root.
    base = normalizeBaseUrl(baseUrl).replace(/\/v1$/, '');
  } catch (e) {
    const err = toInferenceError(e);
    return {
      kind: null,
      outcome: 'unreachable',
      evidence: err.message,
      seen: {},
      error: { kind: err.kind, message: err.message },
    };
  }
  if (opts.signal?.aborted) throw abortError(opts.signal);
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const config = {
      id: 'detect',
      name: base,
      url: base,
      apiKey: opts.apiKey,
      allowSelfSigned: opts.allowSelfSigned,
      models: opts.models,
    };
    // A fingerprint never needs a large body: a 1 MiB cap keeps a big home page from costing a scan.
    const http = new ServerHttp(base, {
      apiKey: opts.apiKey,
      allowSelfSigned: opts.allowSelfSigned,
      timeoutMs: opts.timeoutMs ?? defaultProbeTimeoutMs,
      maxBodyBytes: 1024 * 1024,
    });
    const session = new ProbeSession(http, ctrl.signal);
    const pending = detectionOrder.map((kind) =>
      createAdapter(kind, config)
        .match(session)
        .catch((e: unknown) => ({ matched: false, evidence: toInferenceError(e).message, version: undefined })),
    );
    for (let i = 0; i < detectionOrder.length; i++) {
      const r = await pending[i];
      if (r.matched)
        return {
          kind: detectionOrder[i],
          version: r.version,
          outcome: 'recognized',
          evidence: r.evidence,
          baseUrl: base,
          seen: session.seen(),
        };
    }
    if (opts.signal?.aborted) throw abortError(opts.signal);
    return classifyUnmatched(session.answered(), session.seen(), base);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    // Stop the lower-priority probes still in flight once a decision is made.
    ctrl.abort();
  }
}
