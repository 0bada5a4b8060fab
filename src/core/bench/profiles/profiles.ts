import type { ProfileName } from '../spec';
import { aiperfBatch, aiperfText } from './aiperf';
import { genaiPerfBatch, genaiPerfText } from './genaiPerf';
import { guidellmBatch, guidellmText } from './guidellm';
import type { ProfileAccumulator, ProfileOptions } from './summary';
import { ReasoningTally } from './reasoning';
import { vllmBatch, vllmText } from './vllm';

const factories: Record<
  ProfileName,
  { text(o: ProfileOptions): ProfileAccumulator; batch(o: ProfileOptions): ProfileAccumulator }
> = {
  vllm: { text: vllmText, batch: vllmBatch },
  'genai-perf': { text: genaiPerfText, batch: genaiPerfBatch },
  guidellm: { text: guidellmText, batch: guidellmBatch },
  aiperf: { text: aiperfText, batch: aiperfBatch },
};

/** An accumulator computing `profile`'s definitions for the group's kind of request. */
export function createAccumulator(profile: ProfileName, opts: ProfileOptions): ProfileAccumulator {
  const f = factories[profile];
  if (opts.group !== 'text-generation') return f.batch(opts);
  const acc = f.text(opts);
  const reasoning = new ReasoningTally(opts.percentiles);
  const names = opts.adapters;
  // LoRA traffic: each adapter's records also go to an accumulator of their own (same profile, same window).
  const perAdapter = names?.length
    ? names.map(() => createAccumulator(profile, { ...opts, adapters: undefined }))
    : undefined;
  return {
    add(r) {
      acc.add(r);
      reasoning.add(r);
      if (perAdapter && r.ad !== undefined) perAdapter[r.ad]?.add(r);
    },
    finish(window) {
      const out = acc.finish(window);
      const summary = reasoning.finish();
      if (summary) out.reasoning = summary;
      if (perAdapter) out.adapters = perAdapter.map((a, k) => ({ name: names![k], summary: a.finish(window) }));
      return out;
    },
  };
}
