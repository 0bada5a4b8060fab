/**
 * TGI's Prometheus families (wire reference §8): request counters, latency
 * and size histograms in seconds/tokens, and live queue/batch gauges. TGI
 * prints no HELP lines.
 */
import type { JobTimings } from '../../latency/engine';
import type { TextModel } from '../../models/textModel';
import type { EmbeddedContext } from '../../personality';

const DURATION = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const TOKENS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

export interface TgiMetrics {
  success(t: JobTimings, inputTokens: number, maxNewTokens: number): void;
  failure(err: string): void;
  render(): string;
}

export function tgiMetrics(ctx: EmbeddedContext, model: TextModel): TgiMetrics {
  const m = ctx.metrics;
  m.gauge('tgi_queue_size', 'queue size', () => [{ labels: {}, value: ctx.engine.textStats(model).waiting }]);
  m.gauge('tgi_batch_current_size', 'batch size', () => [{ labels: {}, value: ctx.engine.textStats(model).running }]);
  const count = m.counter('tgi_request_count', 'requests');
  const ok = m.counter('tgi_request_success', 'successful requests');
  const fail = m.counter('tgi_request_failure', 'failed requests');
  const duration = m.histogram('tgi_request_duration', 'request duration', DURATION);
  const queue = m.histogram('tgi_request_queue_duration', 'queue duration', DURATION);
  const inference = m.histogram('tgi_request_inference_duration', 'inference duration', DURATION);
  const perToken = m.histogram('tgi_request_mean_time_per_token_duration', 'mean time per token', DURATION);
  const generated = m.histogram('tgi_request_generated_tokens', 'generated tokens', TOKENS);
  const input = m.histogram('tgi_request_input_length', 'input length', TOKENS);
  const maxNew = m.histogram('tgi_request_max_new_tokens', 'max new tokens', TOKENS);
  return {
    success(t, inputTokens, maxNewTokens) {
      count.inc();
      ok.inc();
      duration.observe({}, t.totalMs / 1000);
      queue.observe({}, t.queueMs / 1000);
      inference.observe({}, (t.prefillMs + t.decodeMs) / 1000);
      if (t.tokens > 1) perToken.observe({}, t.decodeMs / (t.tokens - 1) / 1000);
      generated.observe({}, t.tokens);
      input.observe({}, inputTokens);
      maxNew.observe({}, maxNewTokens);
    },
    failure(err) {
      count.inc();
      fail.inc({ err });
    },
    render: () => m.render({ prefix: 'tgi_', help: false }),
  };
}
