/**
 * The server's own counts against the client's, over the span between the
 * first and the last scrape of the run (the first is taken before any
 * benchmark request, the last after every one: warm-up requests count on
 * both sides; detection and the preflight request happen before the first):
 * - prompt and generation tokens: server counters vs the client's counts
 *   (prompts: the client's own count, in the server's tokens where it has
 *   them, else the reported usage; output: the usage each response reported,
 *   else the client's count of streamed tokens);
 * - request rate: server-counted completions vs the client's successes;
 * - queue time: the server's mean queue time must not exceed the client's
 *   mean TTFT (text) or mean latency (others), of which it is a part.
 * A disagreement beyond the stated bound becomes a warning on the run. The
 * records are read once, after the run: nothing is added per request.
 */
import { readRecordsFile } from '../recordsFile';
import { EV_CHOICE, EV_TEXT, isSuccess } from '../record';
import { spanValue, type SampleIndex } from './derive';
import type { CrossCheck } from './types';
import { serverRules } from './vocabulary';

export interface ClientTally {
  /** Successful requests, warm-up included. */
  succeeded: number;
  promptTokens: number;
  generationTokens: number;
  /** Requests with a token count (prompt, generation) on the client side. */
  withPrompt: number;
  withGeneration: number;
  /** Mean first-token time (ms after send) of successful streamed requests, and their count. */
  ttftMeanMs?: number;
  /** Mean latency (ms) of successful requests. */
  latencyMeanMs?: number;
}

/** Tallies the records file (successes only; a failed request's tokens are unknown to the client). */
export async function tallyRecords(recordsPath: string): Promise<ClientTally> {
  const t: ClientTally = { succeeded: 0, promptTokens: 0, generationTokens: 0, withPrompt: 0, withGeneration: 0 };
  let ttftSum = 0;
  let ttftN = 0;
  let latSum = 0;
  for await (const line of readRecordsFile(recordsPath)) {
    if (line.kind !== 'record') continue;
    const r = line.record;
    if (!isSuccess(r)) continue;
    t.succeeded++;
    latSum += r.e;
    const p = r.io ?? r.iu;
    if (p !== undefined) {
      t.promptTokens += p;
      t.withPrompt++;
    }
    // The server's own usage where it sent one: our count of streamed text is not its tokenizer's (a chunk can
    // hold several tokens; real vLLM 0.32.0 sent 137 text chunks for 144 tokens in the real-servers tier).
    const g = r.ou ?? r.oo;
    if (g !== undefined) {
      t.generationTokens += g;
      t.withGeneration++;
    }
    if (r.ev) {
      for (let k = 0; k < r.ev.length; k += 2) {
        if (r.ev[k + 1] & (EV_CHOICE | EV_TEXT)) {
          ttftSum += r.ev[k];
          ttftN++;
          break;
        }
      }
    }
  }
  if (ttftN) t.ttftMeanMs = ttftSum / ttftN;
  if (t.succeeded) t.latencyMeanMs = latSum / t.succeeded;
  return t;
}

const pct = (a: number, b: number) => (b ? `${(((a - b) / b) * 100).toFixed(1)} %` : 'n/a');

/** Relative bound with an absolute floor: |server − client| ≤ max(rel × client, abs). */
function within(server: number, client: number, rel: number, abs: number): boolean {
  return Math.abs(server - client) <= Math.max(rel * Math.abs(client), abs);
}

export const bounds = { tokensRel: 0.05, tokensAbs: 2, requestsRel: 0.02, requestsAbs: 1, queueSlackMs: 1 };

export function crossChecks(
  first: { tMs: number; idx: SampleIndex } | undefined,
  last: { tMs: number; idx: SampleIndex } | undefined,
  clientTally: ClientTally,
): CrossCheck[] {
  const client = clientTally;
  if (!first || !last || last.tMs <= first.tMs) return [];
  const spanSec = (last.tMs - first.tMs) / 1000;
  const count = (key: string) => {
    const v = spanValue(serverRules, key, first, last);
    return v && { value: v.value * spanSec, source: v.source };
  };
  const out: CrossCheck[] = [];
  const tokens = (
    key: 'promptTokens' | 'generationTokens',
    what: string,
    counted: ReturnType<typeof count>,
    client: number,
    have: number,
    why: string,
  ) => {
    if (!counted || have !== clientTally.succeeded || !have) return;
    const s = Math.round(counted.value);
    const ok = within(s, client, bounds.tokensRel, bounds.tokensAbs);
    out.push({
      key,
      label: `${what[0].toUpperCase()}${what.slice(1)} tokens`,
      server: s,
      client,
      unit: 'tokens',
      ok,
      bound: `within ${bounds.tokensRel * 100} % or ${bounds.tokensAbs} tokens`,
      note: ok
        ? `${counted.source} agrees with the client's count.`
        : `The server counted ${s} ${what} tokens (${counted.source}), the client ${client} (${pct(s, client)}): ${why}`,
    });
  };
  tokens(
    'promptTokens',
    'prompt',
    count('promptTokensPerSec'),
    clientTally.promptTokens,
    clientTally.withPrompt,
    'another tokenizer on the client side, a chat template the client does not count, or other traffic on the server.',
  );
  tokens(
    'generationTokens',
    'generation',
    count('generationTokensPerSec'),
    clientTally.generationTokens,
    clientTally.withGeneration,
    'streamed chunks holding several tokens, failed requests the server still counted, or other traffic on the server.',
  );
  const req = count('requestsPerSec');
  if (req) {
    const s = Math.round(req.value);
    const ok = within(s, client.succeeded, bounds.requestsRel, bounds.requestsAbs);
    out.push({
      key: 'requestRate',
      label: 'Request rate',
      server: s / spanSec,
      client: client.succeeded / spanSec,
      unit: 'req/s',
      ok,
      bound: `within ${bounds.requestsRel * 100} % or ${bounds.requestsAbs} request over the run`,
      note: ok
        ? `${req.source}: ${s} requests, the client ${client.succeeded}.`
        : `The server counted ${s} requests (${req.source}) while the client saw ${client.succeeded} succeed (${pct(s, client.succeeded)}): other clients on the server, or requests the server counts differently (failures, retries).`,
    });
  }
  const queue = spanValue(serverRules, 'queueTimeMean', first, last);
  const ref = client.ttftMeanMs ?? client.latencyMeanMs;
  if (queue && ref !== undefined) {
    const what = client.ttftMeanMs !== undefined ? 'mean TTFT' : 'mean latency';
    const ok = queue.value <= ref + bounds.queueSlackMs;
    out.push({
      key: 'queueVsTtft',
      label: `Server queue time vs client ${what}`,
      server: queue.value,
      client: ref,
      unit: 'ms',
      ok,
      bound: `server queue ≤ client ${what} + ${bounds.queueSlackMs} ms`,
      note: ok
        ? `Queueing is ${((queue.value / Math.max(ref, 1e-9)) * 100).toFixed(0)} % of the client's ${what} (${queue.source}).`
        : `The server's mean queue time (${queue.value.toFixed(1)} ms, ${queue.source}) exceeds the client's ${what} (${ref.toFixed(1)} ms), of which it should be a part: other traffic on the server, or the metric measures something else on this version.`,
    });
  }
  return out;
}
