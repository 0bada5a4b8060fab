'use strict';
// The result file read by its own literal key names, per profile: the oracle that the unit chart
// tests (test/unit/results/charts.test.ts) and the UI journeys (test/workbench/chartValues.mjs)
// check the results panel against, independently of the panel's accessors and formatter.

/** The result file's own names of the figures the charts show. */
exports.fileKeys = {
  requests: {
    vllm: 'request_throughput',
    'genai-perf': 'request_throughput',
    guidellm: 'requests_per_second',
    aiperf: 'request_throughput',
  },
  outputTokens: {
    vllm: 'output_throughput',
    'genai-perf': 'output_token_throughput',
    guidellm: 'output_tokens_per_second',
    aiperf: 'output_token_throughput',
  },
  /** [metric key, factor to ms] */
  e2e: {
    vllm: ['e2el', 1],
    'genai-perf': ['request_latency', 1],
    guidellm: ['request_latency', 1000],
    aiperf: ['request_latency', 1],
  },
  ttft: {
    vllm: 'ttft',
    'genai-perf': 'time_to_first_token',
    guidellm: 'time_to_first_token_ms',
    aiperf: 'time_to_first_token',
  },
};

/** A step's throughput figure by its file key. */
exports.figure = (step, key) => step.summary.throughput[key]?.value;

/** The items rate's key of a batch group. */
exports.itemKey = (group) => (group === 'image-classification' ? 'imagesPerSec' : 'inputsPerSec');

/** A step's E2E percentile in ms (`p`: '50', '90', …), whatever the profile calls it. */
exports.e2eMs = function e2eMs(step, profile, p) {
  const [key, toMs] = exports.fileKeys.e2e[profile];
  return step.summary.metrics[key].percentiles[p] * toMs;
};

/**
 * How a table cell must read: one decimal from 100, two below (written out, not the panel's
 * helper); a figure the file lacks reads as text no cell shows, so a comparison fails.
 */
exports.fmt = (v) => (v === undefined ? '(not in the file)' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(2));

/**
 * The prefix-cache chart as the result file says it must read: the server's counters, usage over
 * the run, then usage per step when there are several steps; header, rows and the bars [x, y in %].
 */
exports.prefixCacheTable = function prefixCacheTable(result) {
  const p = result.prefixCache;
  const rows = [];
  const bars = [];
  const add = (x, step, requests, asked, hit, rate, source) => {
    rows.push([x, step, requests, String(asked), String(hit), exports.fmt(100 * rate), source]);
    bars.push([x, 100 * rate]);
  };
  if (p.server) add('server counters', 'all', '—', p.server.queries, p.server.hits, p.server.hitRate, p.server.source);
  const details = 'usage.prompt_tokens_details';
  const usage = (x, step, u) => add(x, step, String(u.requests), u.promptTokens, u.cachedTokens, u.hitRate, details);
  if (p.usage) usage('usage.cached_tokens', 'all', p.usage);
  const steps = result.steps.filter((s) => s.prefixCache);
  if (steps.length > 1) for (const s of steps) usage(`usage.cached_tokens · ${s.label}`, s.label, s.prefixCache);
  const header = ['Counted by', 'Step', 'Requests', 'Prompt tokens', 'Cached tokens', 'Hit rate (%)', 'Source'];
  return { header, rows, bars };
};
