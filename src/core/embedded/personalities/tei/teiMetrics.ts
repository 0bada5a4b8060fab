/** TEI's Prometheus families (te_*, wire reference §10); like TGI, no HELP lines. */
import type { BatchTimings } from '../../latency/engine';
import type { EmbeddingModel } from '../../models/embeddingModel';
import type { EmbeddedContext } from '../../personality';

const DURATION = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const TOKENS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

export function teiMetrics(ctx: EmbeddedContext, model: EmbeddingModel) {
  const m = ctx.metrics;
  m.gauge('te_queue_size', 'queue size', () => [{ labels: {}, value: ctx.engine.batchStats(model).waiting }]);
  const count = m.counter('te_request_count', 'requests');
  const ok = m.counter('te_request_success', 'successful requests');
  const fail = m.counter('te_request_failure', 'failed requests');
  const duration = m.histogram('te_request_duration', 'request duration', DURATION);
  const queue = m.histogram('te_request_queue_duration', 'queue duration', DURATION);
  const inference = m.histogram('te_request_inference_duration', 'inference duration', DURATION);
  const input = m.histogram('te_request_input_length', 'input length', TOKENS);
  const batch = m.histogram('te_batch_next_size', 'batch size', TOKENS);
  return {
    success(t: BatchTimings, tokens: number) {
      count.inc({ method: 'single' });
      ok.inc({ method: 'single' });
      duration.observe({}, (t.queueMs + t.computeMs) / 1000);
      queue.observe({}, t.queueMs / 1000);
      inference.observe({}, t.computeMs / 1000);
      input.observe({}, tokens);
      batch.observe({}, t.batchItems);
    },
    failure(err: string) {
      count.inc({ method: 'single' });
      fail.inc({ err });
    },
    render: () => m.render({ prefix: 'te_', help: false }),
  };
}
