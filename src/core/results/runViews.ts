import type { BenchResult } from '../bench/result';
import type { ProfileName } from '../bench/spec';
import type { ResultsStore, RunMeta } from './resultsStore';
import type { CompareView, RunView } from '../../shared/results';

/**
 * The view models of saved runs for a profile (what the results panel shows; the modules load
 * lazily so that the extension's activation does not pull them in): the result as saved when the
 * profile matches, else recomputed from the raw records (never re-measured).
 */
export async function loadRunViews(
  store: ResultsStore,
  ids: string[],
  profile?: ProfileName,
): Promise<{ runs: RunView[]; compare: CompareView[]; profile: ProfileName; missing: string[] }> {
  const [{ buildRunView }, { recomputeProfile }, { compareRuns }, { cachedView }, { stepSamples }] = await Promise.all([
    import('./runView.js'),
    import('../bench/recompute.js'),
    import('./compare.js'),
    import('./viewCache.js'),
    import('./compareSamples.js'),
  ]);
  const runs: RunView[] = [];
  const missing: string[] = [];
  let chosen = profile;
  const metas: RunMeta[] = [];
  for (const id of ids) {
    try {
      const meta = await store.meta(id);
      const identity = { id, name: meta.name, status: meta.status, resultPath: store.resultPath(id) };
      const build = async (): Promise<RunView | undefined> => {
        let result: BenchResult | undefined = await store.result(id);
        if (!result) return undefined;
        chosen ??= result.profile;
        if (result.profile !== chosen && result.steps.length)
          result = await recomputeProfile(result, store.recordsPath(id), chosen);
        return buildRunView(identity, result, store.recordsPath(id));
      };
      // A finished run's view is cached next to it; a running one changes with every step.
      chosen ??= meta.spec.profile ?? 'vllm';
      const view =
        meta.status === 'running'
          ? await build()
          : await cachedView(store.dir(id), chosen, [store.resultPath(id), store.recordsPath(id)], async () => {
              const v = await build();
              if (!v) throw new Error('no result yet');
              return v;
            }).catch((e: Error) => (e.message === 'no result yet' ? undefined : Promise.reject(e)));
      if (!view) {
        missing.push(`${meta.name}: no result yet${meta.incompleteReason ? ` (${meta.incompleteReason})` : ''}`);
        continue;
      }
      // Name and status live in run.json and may change after the view was cached (rename, recovery).
      runs.push({ ...view, name: meta.name, status: meta.status === 'running' ? 'running' : view.status });
      metas.push(meta);
    } catch (e) {
      missing.push(`${id}: ${(e as Error).message}`);
    }
  }
  const compare: CompareView[] = [];
  if (runs.length > 1) {
    // The reference is the run marked as baseline, else the oldest of the set.
    const marked = metas.findIndex((m) => m.baseline);
    const oldest = metas.reduce((best, m, i) => (m.createdAt < metas[best].createdAt ? i : best), 0);
    const base = runs[marked >= 0 ? marked : oldest];
    // The noise intervals come from the raw records, under the profile shown.
    const samplesOf = async (r: RunView) => {
      const result = await store.result(r.id).catch(() => undefined);
      if (!result) return new Map();
      return stepSamples({ ...result, profile: chosen ?? result.profile }, store.recordsPath(r.id));
    };
    const baseSamples = await samplesOf(base);
    for (const r of runs)
      if (r !== base)
        compare.push(compareRuns(base, r, { samples: { baseline: baseSamples, run: await samplesOf(r) } }));
  }
  return { runs, compare, profile: chosen ?? 'vllm', missing };
}
