/**
 * Reasoning models (a vLLM `--reasoning-parser`, OpenAI-style `reasoning`
 * deltas): the answer starts with reasoning text, streamed apart from the
 * answer text. The same definitions under every profile, from the records:
 * time to the first event with reasoning text (EV_REASON), time to the first
 * event with answer text (EV_TEXT), both from the send; reasoning and answer
 * tokens counted apart. Token counts are the server's where it sends them
 * (`completion_tokens_details.reasoning_tokens`, which `completion_tokens`
 * includes: answer = completion − reasoning), else our own count of each text.
 * Only successful measured requests with reasoning text count.
 */
import { SampleBuffer } from '../../stats/sampleBuffer';
import { describe } from '../../stats/describe';
import { EV_REASON, EV_TEXT, isSuccess, type RawRecord } from '../record';
import { firstEvent } from './timeline';
import { metric, type MetricSummary } from './summary';

export interface ReasoningSummary {
  /** Successful requests whose answer carried reasoning text. */
  requests: number;
  /** Of those, requests whose token counts came from the server's usage (the rest: our own count). */
  serverCounted: number;
  /** ms from the send to the first event with reasoning text. */
  timeToFirstReasoningToken: MetricSummary;
  /** ms from the send to the first event with answer text (requests that reached their answer). */
  timeToFirstOutputToken?: MetricSummary;
  /** Per request. */
  reasoningTokens: MetricSummary;
  answerTokens: MetricSummary;
  /** Summed over the step's reasoning requests. */
  totalReasoningTokens: number;
  totalAnswerTokens: number;
}

/** Folds records into a ReasoningSummary; `finish()` is undefined when no request carried reasoning. */
export class ReasoningTally {
  private readonly ttfr = new SampleBuffer();
  private readonly ttfo = new SampleBuffer();
  private readonly reasoning = new SampleBuffer();
  private readonly answer = new SampleBuffer();
  private n = 0;
  private server = 0;
  private totalReasoning = 0;
  private totalAnswer = 0;

  constructor(private readonly percentiles: readonly number[]) {}

  add(r: RawRecord): void {
    if (r.w || !isSuccess(r)) return;
    const first = firstEvent(r, EV_REASON);
    if (first === undefined) return;
    this.n++;
    this.ttfr.push(first);
    const out = firstEvent(r, EV_TEXT);
    if (out !== undefined) this.ttfo.push(out);
    let reasoning: number;
    let answer: number;
    if (r.ru !== undefined && r.ou !== undefined) {
      this.server++;
      reasoning = r.ru;
      answer = Math.max(0, r.ou - r.ru);
    } else {
      reasoning = r.ro ?? 0;
      answer = r.oo ?? 0;
    }
    this.reasoning.push(reasoning);
    this.answer.push(answer);
    this.totalReasoning += reasoning;
    this.totalAnswer += answer;
  }

  finish(): ReasoningSummary | undefined {
    if (!this.n) return undefined;
    const d = (v: SampleBuffer) => describe(v.view(), this.percentiles);
    return {
      requests: this.n,
      serverCounted: this.server,
      timeToFirstReasoningToken: metric('Time to first reasoning token', 'ms', d(this.ttfr)),
      ...(this.ttfo.length && {
        timeToFirstOutputToken: metric('Time to first output (answer) token', 'ms', d(this.ttfo)),
      }),
      reasoningTokens: metric('Reasoning tokens per request', 'tokens', d(this.reasoning)),
      answerTokens: metric('Answer tokens per request', 'tokens', d(this.answer)),
      totalReasoningTokens: this.totalReasoning,
      totalAnswerTokens: this.totalAnswer,
    };
  }
}
