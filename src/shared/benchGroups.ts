/**
 * The benchmark groups, one descriptor each: what every layer says about a
 * group (its label, what it measures, the throughput a run is judged by and its
 * unit, the wire APIs it can drive). Host, webviews and core read this table;
 * the engine side of a group (its target factory and preset workload) is its
 * entry in src/core/bench/groups.ts. A unit test fails when a group is declared
 * anywhere else. Adding a group: docs/architecture.md, "Add a benchmark group".
 */
export const benchGroupTable = {
  'text-generation': {
    label: 'Text generation',
    detail: 'TTFT, inter-token latency, TPOT, E2E, tokens/s and goodput',
    /** The rate a run is judged by (a RateId of resultMetrics.ts: headline, comparisons, the runs view) and its unit. */
    headline: 'outputTokensPerSec',
    unit: 'tok/s',
    /** The summaries' key of the items rate of a batch group (none for text generation). */
    itemKey: undefined,
    apis: ['openai-completions', 'openai-chat', 'tgi', 'ollama', 'triton-generate'],
  },
  'image-classification': {
    label: 'Image classification',
    detail: 'Latency percentiles and images/s across batch sizes and concurrency',
    headline: 'itemsPerSec',
    unit: 'images/s',
    itemKey: 'imagesPerSec',
    apis: ['kserve', 'kserve-binary', 'kserve-grpc', 'torchserve', 'tfserving'],
  },
  embeddings: {
    label: 'Embeddings',
    detail: 'Latency, inputs/s and tokens/s across batch sizes',
    headline: 'itemsPerSec',
    unit: 'inputs/s',
    itemKey: 'inputsPerSec',
    apis: ['openai', 'tei', 'ollama', 'kserve'],
  },
} as const;

export type BenchGroup = keyof typeof benchGroupTable;
export const benchGroups = Object.keys(benchGroupTable) as BenchGroup[];

/** The summaries' key of the items rate of a batch group (`imagesPerSec`, `inputsPerSec`); undefined for text generation or an unknown group. */
export function groupItemKey(group: string): 'imagesPerSec' | 'inputsPerSec' | undefined {
  return (benchGroupTable as Record<string, { itemKey?: 'imagesPerSec' | 'inputsPerSec' }>)[group]?.itemKey;
}

/** The group's label ("Text generation"), or the id itself for a group this version does not know. */
export function groupLabel(group: string): string {
  return (benchGroupTable as Record<string, { label: string }>)[group]?.label ?? group;
}
