import { textApis } from '../protocols/textApis';
import type { TextApi } from '../spec';
import type { NormalizedSpec } from '../specNormalize';
import { loraPicker } from '../workload/lora';
import type { TextItem } from '../workload/textWorkload';
import type { CallPlan, TargetFactory } from './callTarget';
import { HttpTarget } from './httpTarget';
import type { Endpoint } from './endpoint';

/** Builds the request of one prompt (for prompts that come one at a time, as a trace's). */
export function textPlanner(spec: NormalizedSpec, api: TextApi, model: string): (item: TextItem) => CallPlan {
  const protocol = textApis[api];
  const ctx = { model, ignoreEos: spec.text.ignoreEos };
  return (item) => ({ request: protocol.request(item, ctx), n: 1, inputOwn: item.inputTokens });
}

/**
 * Request i sends prompt i mod pool size. Every body is built here, before
 * any step runs, so the hot path only hands a ready Buffer to undici.
 */
export function textTargetFactory(
  spec: NormalizedSpec,
  api: TextApi,
  model: string,
  endpoint: Endpoint,
  items: TextItem[],
): TargetFactory {
  const protocol = textApis[api];
  const lora = spec.text.lora;
  let plan: (i: number) => CallPlan;
  if (lora) {
    // LoRA traffic: one ready body per prompt and adapter; request i names adapter pick(i).
    const byAdapter = lora.map((a, k) =>
      items.map((item) => ({ ...textPlanner(spec, api, a.name)(item), adapter: k })),
    );
    const pick = loraPicker(lora);
    plan = (i) => byAdapter[pick(i)][i % items.length];
  } else {
    const plans: CallPlan[] = items.map(textPlanner(spec, api, model));
    plan = (i) => plans[i % plans.length];
  }
  return (connections) =>
    new HttpTarget({
      origin: endpoint.origin,
      basePath: endpoint.basePath,
      connections,
      protocol,
      plan,
      headers: endpoint.headers,
      countOutput: true,
      allowSelfSigned: endpoint.allowSelfSigned,
    });
}
