import { textApis } from '../protocols/textApis';
import type { TextApi } from '../spec';
import type { NormalizedSpec } from '../specNormalize';
import { datasetPrompts, syntheticPrompts, type TextItem } from '../workload/textWorkload';
import type { CallPlan, TargetFactory } from './callTarget';
import { HttpTarget } from './httpTarget';
import type { Endpoint } from './endpoint';

/** The prompts of a run: the dataset's, or a seeded pool of synthetic ones. */
export function textItems(spec: NormalizedSpec): TextItem[] {
  return spec.text.dataset ? datasetPrompts(spec.text.dataset, spec.text, spec.seed) : syntheticPrompts(spec.text, spec.seed);
}

/**
 * Request i sends prompt i mod pool size. Every body is built here, before
 * any step runs, so the hot path only hands a ready Buffer to undici.
 */
export function textTargetFactory(spec: NormalizedSpec, api: TextApi, model: string, endpoint: Endpoint, items = textItems(spec)): TargetFactory {
  const protocol = textApis[api];
  const ctx = { model, ignoreEos: spec.text.ignoreEos };
  const plans: CallPlan[] = items.map((item) => ({ request: protocol.request(item, ctx), n: 1, inputOwn: item.inputTokens }));
  const plan = (i: number): CallPlan => plans[i % plans.length];
  return (connections) =>
    new HttpTarget({ origin: endpoint.origin, basePath: endpoint.basePath, connections, protocol, plan, headers: endpoint.headers, countOutput: true, allowSelfSigned: endpoint.allowSelfSigned });
}
