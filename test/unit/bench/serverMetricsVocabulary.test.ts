/**
 * The server-metrics vocabulary on hand-written scrapes in each server's real
 * exposition format (names from the wire reference): gauges as read, counters
 * as rates, histograms as interval means and quantiles, old and new vLLM
 * names, Triton per model, TorchServe's trailing commas, a DCGM exporter
 * sample, and nvidia-smi's documented CSV.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parsePrometheusText } from '../../../src/core/metrics/prometheus';
import {
  histogramQuantile,
  indexSamples,
  SeriesBuilder,
  spanValue,
} from '../../../src/core/bench/serverMetrics/derive';
import { nvidiaSmiRules, parseNvidiaSmi } from '../../../src/core/bench/serverMetrics/gpu';
import {
  findServerContainer,
  readStats,
  statsSamples,
  containerRules,
} from '../../../src/core/bench/serverMetrics/container';
import { crossChecks } from '../../../src/core/bench/serverMetrics/crossChecks';
import { dcgmRules, serverRules } from '../../../src/core/bench/serverMetrics/vocabulary';
import type { SeriesSet } from '../../../src/core/bench/serverMetrics/types';

const idx = (text: string) => indexSamples(parsePrometheusText(text).samples);

function run(rules = serverRules, ...scrapes: Array<[number, string]>): SeriesSet {
  const b = new SeriesBuilder(rules);
  for (const [t, text] of scrapes) b.add(t, idx(text));
  return b.finish();
}

const byKey = (set: SeriesSet, key: string, entity?: string) => {
  const s = set.series.find((x) => x.key === key && x.entity === entity);
  assert.ok(
    s,
    `series ${key}${entity ? `@${entity}` : ''} missing; have ${set.series.map((x) => x.key + (x.entity ? `@${x.entity}` : '')).join(', ')}`,
  );
  return s;
};

/** vLLM V1 (0.10-style names) at two moments 2 s apart. */
const vllmNew = (k: number) => `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="m"} ${4 * k}
vllm:num_requests_waiting{engine="0",model_name="m"} ${k}
vllm:kv_cache_usage_perc{engine="0",model_name="m"} ${0.25 * k}
vllm:num_preemptions_total{engine="0",model_name="m"} ${3 * k}
vllm:prefix_cache_queries_total{engine="0",model_name="m"} ${1000 * k}
vllm:prefix_cache_hits_total{engine="0",model_name="m"} ${250 * k}
vllm:prompt_tokens_total{engine="0",model_name="m"} ${512 * k}
vllm:generation_tokens_total{engine="0",model_name="m"} ${256 * k}
vllm:request_success_total{engine="0",finished_reason="length",model_name="m"} ${8 * k}
vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} ${2 * k}
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.01",model_name="m"} ${2 * k}
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="m"} ${8 * k}
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="m"} ${10 * k}
vllm:time_to_first_token_seconds_count{engine="0",model_name="m"} ${10 * k}
vllm:time_to_first_token_seconds_sum{engine="0",model_name="m"} ${0.5 * k}
vllm:inter_token_latency_seconds_count{engine="0",model_name="m"} ${100 * k}
vllm:inter_token_latency_seconds_sum{engine="0",model_name="m"} ${2 * k}
vllm:request_queue_time_seconds_count{engine="0",model_name="m"} ${10 * k}
vllm:request_queue_time_seconds_sum{engine="0",model_name="m"} ${0.1 * k}
`;

/** vLLM 0.8-era names for the same figures. */
const vllmOld = (k: number) => `vllm:num_requests_running{model_name="m"} 2
vllm:gpu_cache_usage_perc{model_name="m"} 0.5
vllm:gpu_prefix_cache_queries_total{model_name="m"} ${400 * k}
vllm:gpu_prefix_cache_hits_total{model_name="m"} ${100 * k}
vllm:time_per_output_token_seconds_count{model_name="m"} ${50 * k}
vllm:time_per_output_token_seconds_sum{model_name="m"} ${1.5 * k}
`;

describe('server metrics vocabulary', () => {
  it('vLLM (current names): gauges, rates over the interval, histogram mean and quantiles', () => {
    const set = run(serverRules, [0, vllmNew(1)], [2000, vllmNew(2)]);
    assert.deepEqual(set.t, [0, 2000]);
    assert.deepEqual(byKey(set, 'requestsRunning').values, [4, 8]);
    assert.deepEqual(byKey(set, 'requestsWaiting').values, [1, 2]);
    assert.deepEqual(byKey(set, 'kvCacheUsage').values, [25, 50]);
    assert.equal(byKey(set, 'kvCacheUsage').source, 'vllm:kv_cache_usage_perc');
    // Rates need two scrapes: null at the first.
    assert.deepEqual(byKey(set, 'preemptionsPerSec').values, [null, 1.5]);
    assert.deepEqual(byKey(set, 'requestsPerSec').values, [null, 5]);
    assert.deepEqual(byKey(set, 'promptTokensPerSec').values, [null, 256]);
    assert.deepEqual(byKey(set, 'generationTokensPerSec').values, [null, 128]);
    assert.deepEqual(byKey(set, 'cachedTokensPerSec').values, [null, 125]);
    assert.deepEqual(byKey(set, 'prefixCacheHitRate').values, [null, 25]);
    // TTFT over the interval: 10 requests, 0.5 s in all → 50 ms mean.
    assert.deepEqual(byKey(set, 'ttftMean').values, [null, 50]);
    // Δbuckets: 2 ≤ 10 ms, 6 in (10, 100] ms, 2 above. p50 → rank 5 → 10 + 90 × 3/6 = 55 ms.
    assert.ok(Math.abs(byKey(set, 'ttftP50').values[1]! - 55) < 1e-9);
    // p99 → rank 9.9 in the +Inf bucket → at least the highest finite bound (100 ms): a bound, not a value.
    assert.ok(Math.abs(byKey(set, 'ttftP99').values[1]! - 100) < 1e-9);
    assert.deepEqual(byKey(set, 'ttftP99').bounds, [null, 'ge']);
    // p50 is an estimate inside a finite bucket: no bounds at all.
    assert.equal(byKey(set, 'ttftP50').bounds, undefined);
    assert.ok(Math.abs(byKey(set, 'itlMean').values[1]! - 20) < 1e-9);
    assert.ok(Math.abs(byKey(set, 'queueTimeMean').values[1]! - 10) < 1e-9);
  });

  it('vLLM (0.8-era names): gpu_cache_usage_perc, gpu_prefix_cache_*, time_per_output_token_seconds', () => {
    const set = run(serverRules, [0, vllmOld(1)], [1000, vllmOld(3)]);
    assert.deepEqual(byKey(set, 'kvCacheUsage').values, [50, 50]);
    assert.equal(byKey(set, 'kvCacheUsage').source, 'vllm:gpu_cache_usage_perc');
    assert.deepEqual(byKey(set, 'prefixCacheHitRate').values, [null, 25]);
    assert.equal(byKey(set, 'prefixCacheHitRate').source, 'vllm:gpu_prefix_cache_hits_total');
    assert.ok(Math.abs(byKey(set, 'itlMean').values[1]! - 30) < 1e-9);
    assert.equal(byKey(set, 'itlMean').source, 'vllm:time_per_output_token_seconds');
  });

  it('a counter that goes down (server restart) gives null, never a negative rate', () => {
    const set = run(serverRules, [0, vllmNew(3)], [1000, vllmNew(1)], [2000, vllmNew(2)]);
    assert.deepEqual(byKey(set, 'requestsPerSec').values, [null, null, 10]);
  });

  it('a series that appears later is padded with null before it', () => {
    const set = run(
      serverRules,
      [0, 'vllm:num_requests_running 1\n'],
      [1000, 'vllm:num_requests_running 1\nvllm:generation_tokens_total 40\n'],
      [2000, 'vllm:num_requests_running 0\nvllm:generation_tokens_total 100\n'],
    );
    // Prometheus clients create a counter at its first increment: absent before means 0.
    assert.deepEqual(byKey(set, 'generationTokensPerSec').values, [null, 40, 60]);
    assert.deepEqual(byKey(set, 'requestsRunning').values, [1, 1, 0]);
  });

  it('a quantile whose interpolation overshoots mean / (1 − q) is only that bound ("≤"), not a p99', () => {
    // 10 queue times of ~1 µs in the first bucket (le 0.3 s): interpolation says p99 = 297 ms, the mean bounds it at 0.1 ms.
    const q = (k: number) =>
      `vllm:request_queue_time_seconds_bucket{le="0.3"} ${10 * k}\nvllm:request_queue_time_seconds_bucket{le="+Inf"} ${10 * k}\nvllm:request_queue_time_seconds_count ${10 * k}\nvllm:request_queue_time_seconds_sum ${0.00001 * k}\n`;
    const set = run(serverRules, [0, q(1)], [1000, q(2)]);
    assert.ok(Math.abs(byKey(set, 'queueTimeMean').values[1]! - 0.001) < 1e-12);
    assert.ok(
      Math.abs(byKey(set, 'queueTimeP99').values[1]! - 0.1) < 1e-9,
      String(byKey(set, 'queueTimeP99').values[1]),
    );
    assert.deepEqual(byKey(set, 'queueTimeP99').bounds, [null, 'le']);
  });

  it('a quantile in the first bucket is only "≤ its upper bound" (its lower edge 0 is assumed), or ≤ the Markov bound', () => {
    // 10 queue times averaging 200 ms, all ≤ 0.3 s: p99 is ≤ 300 ms (the bucket), the Markov bound (20 s) is looser.
    const q = (k: number) =>
      `vllm:request_queue_time_seconds_bucket{le="0.3"} ${10 * k}\nvllm:request_queue_time_seconds_bucket{le="0.5"} ${10 * k}\nvllm:request_queue_time_seconds_bucket{le="+Inf"} ${10 * k}\nvllm:request_queue_time_seconds_count ${10 * k}\nvllm:request_queue_time_seconds_sum ${2 * k}\n`;
    const set = run(serverRules, [0, q(1)], [1000, q(2)]);
    assert.deepEqual(byKey(set, 'queueTimeP99').values, [null, 300]);
    assert.deepEqual(byKey(set, 'queueTimeP99').bounds, [null, 'le']);
    // All 10 in the second bucket (0.3, 0.5] (E2E times of 0.4 s, say): interpolation would say 498 ms for p99,
    // an artefact of spreading them evenly over the bucket; only "≤ 500" is known.
    const h = (k: number, in05: number, in08: number) =>
      `vllm:request_queue_time_seconds_bucket{le="0.3"} 0\nvllm:request_queue_time_seconds_bucket{le="0.5"} ${in05 * k}\nvllm:request_queue_time_seconds_bucket{le="0.8"} ${(in05 + in08) * k}\nvllm:request_queue_time_seconds_bucket{le="+Inf"} ${(in05 + in08) * k}\nvllm:request_queue_time_seconds_count ${(in05 + in08) * k}\nvllm:request_queue_time_seconds_sum ${0.4 * in05 * k + 0.6 * in08 * k}\n`;
    const one = run(serverRules, [0, h(1, 10, 0)], [1000, h(2, 10, 0)]);
    assert.deepEqual(byKey(one, 'queueTimeP99').values, [null, 500]);
    assert.deepEqual(byKey(one, 'queueTimeP99').bounds, [null, 'le']);
    // 5 in (0.3, 0.5] and 5 in (0.5, 0.8]: p99 rank 9.9 → 500 + 300 × 4.9 / 5 = 794 ms, an estimate (no bound).
    const two = run(serverRules, [0, h(1, 5, 5)], [1000, h(2, 5, 5)]);
    assert.ok(Math.abs(byKey(two, 'queueTimeP99').values[1]! - 794) < 1e-9, String(byKey(two, 'queueTimeP99').values));
    assert.equal(byKey(two, 'queueTimeP99').bounds, undefined);
  });

  it('histogram quantile follows histogram_quantile: linear inside the bucket, empty → undefined', () => {
    assert.equal(
      histogramQuantile(
        0.5,
        new Map([
          [1, 0],
          [2, 10],
          [Infinity, 10],
        ]),
      ),
      1.5,
    );
    assert.equal(
      histogramQuantile(
        0.5,
        new Map([
          [1, 10],
          [Infinity, 10],
        ]),
      ),
      0.5,
    );
    assert.equal(
      histogramQuantile(
        0.99,
        new Map([
          [1, 0],
          [Infinity, 0],
        ]),
      ),
      undefined,
    );
  });

  it('TGI: queue and batch gauges, token totals from the length histograms, queue-time histogram', () => {
    const tgi = (k: number) => `tgi_queue_size ${k}
tgi_batch_current_size ${2 * k}
tgi_request_success ${10 * k}
tgi_request_failure{err="validation"} ${k}
tgi_request_input_length_sum ${100 * k}
tgi_request_input_length_count ${10 * k}
tgi_request_generated_tokens_sum ${40 * k}
tgi_request_generated_tokens_count ${10 * k}
tgi_request_queue_duration_sum ${0.02 * k}
tgi_request_queue_duration_count ${10 * k}
tgi_request_mean_time_per_token_duration_sum ${0.1 * k}
tgi_request_mean_time_per_token_duration_count ${10 * k}
`;
    const set = run(serverRules, [0, tgi(1)], [1000, tgi(2)]);
    assert.deepEqual(byKey(set, 'requestsWaiting').values, [1, 2]);
    assert.deepEqual(byKey(set, 'batchSize').values, [2, 4]);
    assert.deepEqual(byKey(set, 'requestsPerSec').values, [null, 10]);
    assert.deepEqual(byKey(set, 'failuresPerSec').values, [null, 1]);
    assert.deepEqual(byKey(set, 'promptTokensPerSec').values, [null, 100]);
    assert.deepEqual(byKey(set, 'generationTokensPerSec').values, [null, 40]);
    assert.ok(Math.abs(byKey(set, 'queueTimeMean').values[1]! - 2) < 1e-9);
    assert.ok(Math.abs(byKey(set, 'itlMean').values[1]! - 10) < 1e-9);
  });

  it('Triton: per-model queue, compute input/infer/output per request, batch size, pending count', () => {
    const triton = (k: number) =>
      ['resnet', 'bert']
        .map((m, i) => {
          const n = (i + 1) * 10 * k;
          return `nv_inference_request_success{model="${m}",version="1"} ${n}
nv_inference_request_failure{model="${m}",reason="BACKEND",version="1"} 0
nv_inference_count{model="${m}",version="1"} ${n * 4}
nv_inference_exec_count{model="${m}",version="1"} ${n}
nv_inference_pending_request_count{model="${m}",version="1"} ${i}
nv_inference_request_duration_us{model="${m}",version="1"} ${n * 5000}
nv_inference_queue_duration_us{model="${m}",version="1"} ${n * 1000 * (i + 1)}
nv_inference_compute_input_duration_us{model="${m}",version="1"} ${n * 100}
nv_inference_compute_infer_duration_us{model="${m}",version="1"} ${n * 3000}
nv_inference_compute_output_duration_us{model="${m}",version="1"} ${n * 200}
`;
        })
        .join('');
    const set = run(serverRules, [0, triton(1)], [1000, triton(2)]);
    assert.deepEqual(byKey(set, 'tritonQueueMs', 'resnet').values, [null, 1]);
    assert.deepEqual(byKey(set, 'tritonQueueMs', 'bert').values, [null, 2]);
    assert.deepEqual(byKey(set, 'tritonComputeInputMs', 'bert').values, [null, 0.1]);
    assert.deepEqual(byKey(set, 'tritonComputeInferMs', 'resnet').values, [null, 3]);
    assert.deepEqual(byKey(set, 'tritonComputeOutputMs', 'resnet').values, [null, 0.2]);
    assert.deepEqual(byKey(set, 'tritonRequestsPerSec', 'bert').values, [null, 20]);
    // All models together: 30 requests/s, batches of 4, queue (10×1 + 20×2)/30 ms per request.
    assert.deepEqual(byKey(set, 'requestsPerSec').values, [null, 30]);
    assert.deepEqual(byKey(set, 'batchSize').values, [null, 4]);
    assert.ok(Math.abs(byKey(set, 'queueTimeMean').values[1]! - 50 / 30) < 1e-9);
    assert.deepEqual(byKey(set, 'requestsWaiting').values, [1, 1]);
  });

  it('TorchServe (label sets with a trailing comma): request rate and µs counters per request', () => {
    const ts = (
      k: number,
    ) => `ts_inference_requests_total{model_name="resnet",model_version="default",hostname="h",} ${20 * k}
ts_inference_latency_microseconds{model_name="resnet",model_version="default",hostname="h",} ${20 * k * 8000}
ts_queue_latency_microseconds{model_name="resnet",model_version="default",hostname="h",} ${20 * k * 500}
`;
    const set = run(serverRules, [0, ts(1)], [500, ts(2)]);
    assert.deepEqual(byKey(set, 'requestsPerSec').values, [null, 40]);
    assert.deepEqual(byKey(set, 'e2eMean').values, [null, 8]);
    assert.deepEqual(byKey(set, 'queueTimeMean').values, [null, 0.5]);
  });

  it('DCGM exporter sample: utilization, framebuffer, power and clocks per GPU', () => {
    // As dcgm-exporter prints them (default counters CSV), two GPUs.
    const dcgm = (u: number) => `# HELP DCGM_FI_DEV_SM_CLOCK SM clock frequency (in MHz).
# TYPE DCGM_FI_DEV_SM_CLOCK gauge
DCGM_FI_DEV_SM_CLOCK{gpu="0",UUID="GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11",device="nvidia0",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 1410
DCGM_FI_DEV_SM_CLOCK{gpu="1",UUID="GPU-8a2e1f9c-3b4d-7e6f-9a1b-2c3d4e5f6a7b",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 210
# HELP DCGM_FI_DEV_MEM_CLOCK Memory clock frequency (in MHz).
# TYPE DCGM_FI_DEV_MEM_CLOCK gauge
DCGM_FI_DEV_MEM_CLOCK{gpu="0",UUID="GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11",device="nvidia0",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 1215
DCGM_FI_DEV_MEM_CLOCK{gpu="1",UUID="GPU-8a2e1f9c-3b4d-7e6f-9a1b-2c3d4e5f6a7b",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 1215
# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
# TYPE DCGM_FI_DEV_GPU_UTIL gauge
DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11",device="nvidia0",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} ${u}
DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-8a2e1f9c-3b4d-7e6f-9a1b-2c3d4e5f6a7b",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 0
# HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).
# TYPE DCGM_FI_DEV_FB_USED gauge
DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11",device="nvidia0",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 36512
DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-8a2e1f9c-3b4d-7e6f-9a1b-2c3d4e5f6a7b",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 3
# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).
# TYPE DCGM_FI_DEV_POWER_USAGE gauge
DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11",device="nvidia0",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 243.117
DCGM_FI_DEV_POWER_USAGE{gpu="1",UUID="GPU-8a2e1f9c-3b4d-7e6f-9a1b-2c3d4e5f6a7b",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 54.2
`;
    const set = run(dcgmRules, [0, dcgm(87)], [1000, dcgm(93)]);
    assert.deepEqual(byKey(set, 'gpuUtilization', '0').values, [87, 93]);
    assert.deepEqual(byKey(set, 'gpuUtilization', '1').values, [0, 0]);
    assert.deepEqual(byKey(set, 'gpuMemoryUsedMiB', '0').values, [36512, 36512]);
    assert.deepEqual(byKey(set, 'gpuPowerW', '0').values, [243.117, 243.117]);
    assert.deepEqual(byKey(set, 'gpuSmClockMHz', '1').values, [210, 210]);
    assert.deepEqual(byKey(set, 'gpuMemClockMHz', '0').values, [1215, 1215]);
  });

  it("nvidia-smi's documented CSV (noheader, nounits), with [N/A] where a board has no reading", () => {
    const text =
      '0, GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11, NVIDIA A100-SXM4-40GB, 87, 36512, 40960, 243.11, 1410, 1215, 61\n1, GPU-8a2e1f9c-3b4d-7e6f-9a1b-2c3d4e5f6a7b, NVIDIA A10G, 3, 512, 23028, [N/A], 210, 405, 33\n';
    const b = new SeriesBuilder(nvidiaSmiRules);
    b.add(0, indexSamples(parseNvidiaSmi(text)));
    const set = b.finish();
    assert.deepEqual(byKey(set, 'gpuUtilization', '0').values, [87]);
    assert.deepEqual(byKey(set, 'gpuMemoryTotalMiB', '1').values, [23028]);
    assert.deepEqual(byKey(set, 'gpuPowerW', '0').values, [243.11]);
    assert.equal(
      set.series.find((s) => s.key === 'gpuPowerW' && s.entity === '1'),
      undefined,
      '[N/A] is not a reading',
    );
    assert.deepEqual(byKey(set, 'gpuTemperatureC', '1').values, [33]);
    assert.throws(() => parseNvidiaSmi('0, GPU-x, 87\n'), /unexpected line \(3 fields, expected 10\)/);
  });

  it('Docker stats: CPU % from two readings as the docker CLI computes it, memory without the page cache', () => {
    const stats = (cpu: number, sys: number) => ({
      cpu_stats: { cpu_usage: { total_usage: cpu }, system_cpu_usage: sys, online_cpus: 4 },
      memory_stats: { usage: 600 * 1048576, limit: 8192 * 1048576, stats: { inactive_file: 100 * 1048576 } },
    });
    const a = readStats(stats(1e9, 100e9))!;
    const b = readStats(stats(3e9, 104e9))!;
    const builder = new SeriesBuilder(containerRules);
    builder.add(0, indexSamples(statsSamples(a, undefined)));
    builder.add(1000, indexSamples(statsSamples(b, a)));
    const set = builder.finish();
    // Δcpu 2e9 / Δsystem 4e9 × 4 CPUs × 100 = 200 % (two cores busy).
    assert.deepEqual(byKey(set, 'containerCpuPercent').values, [null, 200]);
    assert.deepEqual(byKey(set, 'containerMemoryUsedMiB').values, [500, 500]);
    assert.deepEqual(byKey(set, 'containerMemoryLimitMiB').values, [8192, 8192]);
    assert.equal(readStats({ cpu_stats: {}, memory_stats: {} }), undefined, 'a stopped container has no readings');
  });

  it('finds the server container by the published port of a local URL, or by name', () => {
    const listed = [
      { id: 'aaa111', name: '/other', managed: false, running: true, publicPorts: [8000] },
      { id: 'bbb222', name: '/il-vllm', managed: true, running: true, publicPorts: [8000] },
      { id: 'ccc333', name: '/il-old', managed: true, running: false, publicPorts: [9000] },
    ];
    assert.deepEqual(findServerContainer('http://127.0.0.1:8000', listed), { id: 'bbb222', name: 'il-vllm' });
    assert.equal(findServerContainer('http://127.0.0.1:9000', listed), undefined, 'not running');
    assert.equal(findServerContainer('http://10.0.0.5:8000', listed), undefined, 'not on this machine');
    assert.deepEqual(findServerContainer('http://10.0.0.5:8000', listed, 'other'), { id: 'aaa111', name: 'other' });
  });

  it('cross-checks: agreement within the bound passes, a disagreement names both figures', () => {
    const first = { tMs: 0, idx: idx(vllmNew(1)) };
    const last = { tMs: 2000, idx: idx(vllmNew(2)) };
    const agree = crossChecks(first, last, {
      succeeded: 10,
      promptTokens: 512,
      generationTokens: 256,
      withPrompt: 10,
      withGeneration: 10,
      ttftMeanMs: 60,
    });
    assert.deepEqual(
      agree.map((c) => [c.key, c.ok]),
      [
        ['promptTokens', true],
        ['generationTokens', true],
        ['requestRate', true],
        ['queueVsTtft', true],
      ],
    );
    assert.equal(agree[2].server, 5);
    const off = crossChecks(first, last, {
      succeeded: 7,
      promptTokens: 400,
      generationTokens: 256,
      withPrompt: 7,
      withGeneration: 7,
      ttftMeanMs: 5,
    });
    assert.deepEqual(
      off.map((c) => [c.key, c.ok]),
      [
        ['promptTokens', false],
        ['generationTokens', true],
        ['requestRate', false],
        ['queueVsTtft', false],
      ],
    );
    assert.match(off[0].note, /server counted 512 prompt tokens \(vllm:prompt_tokens_total\), the client 400/);
    assert.match(off[2].note, /server counted 10 requests .* client saw 7 succeed/);
    assert.match(
      off[3].note,
      /mean queue time \(10\.0 ms, vllm:request_queue_time_seconds\) exceeds the client's mean TTFT \(5\.0 ms\)/,
    );
    assert.equal(spanValue(serverRules, 'nothing', first, last), undefined);
  });

  it('the metrics text of the real Triton (2.51 in PyTriton, captured from the real-servers tier) maps per model', () => {
    const a = fs.readFileSync(
      path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'triton-2.51-pytriton.metrics.txt'),
      'utf8',
    );
    // Half a second later: 10 more requests to "image" (30 batch items in 5 executions), 4 ms queue, 20 ms in all.
    const more: Record<string, number> = {
      nv_inference_request_success: 10,
      nv_inference_count: 30,
      nv_inference_exec_count: 5,
      nv_inference_request_duration_us: 20000,
      nv_inference_queue_duration_us: 4000,
      nv_inference_compute_input_duration_us: 100,
      nv_inference_compute_infer_duration_us: 15000,
      nv_inference_compute_output_duration_us: 200,
    };
    const b = a.replace(/^(nv_inference_\w+)\{model="image",version="1"\} (\d+)$/gm, (line, name: string, v: string) =>
      name in more ? `${name}{model="image",version="1"} ${Number(v) + more[name]}` : line,
    );
    assert.notEqual(a, b);
    const set = run(serverRules, [0, a], [500, b]);
    assert.deepEqual(Object.fromEntries(set.series.filter((s) => !s.entity).map((s) => [s.key, s.source])), {
      requestsWaiting: 'nv_inference_pending_request_count',
      requestsPerSec: 'nv_inference_request_success',
      failuresPerSec: 'nv_inference_request_failure',
      batchSize: 'nv_inference_count',
      queueTimeMean: 'nv_inference_queue_duration_us',
      e2eMean: 'nv_inference_request_duration_us',
    });
    assert.deepEqual(byKey(set, 'requestsPerSec').values, [null, 20]);
    assert.deepEqual(byKey(set, 'tritonRequestsPerSec', 'image').values, [null, 20]);
    assert.deepEqual(byKey(set, 'tritonRequestsPerSec', 'text').values, [null, 0]);
    assert.deepEqual(byKey(set, 'tritonInferencesPerSec', 'image').values, [null, 60]);
    assert.deepEqual(byKey(set, 'tritonExecutionsPerSec', 'image').values, [null, 10]);
    assert.deepEqual(byKey(set, 'batchSize').values, [null, 6]);
    assert.deepEqual(byKey(set, 'tritonQueueMs', 'image').values, [null, 0.4]);
    assert.deepEqual(byKey(set, 'tritonComputeInferMs', 'image').values, [null, 1.5]);
    assert.deepEqual(byKey(set, 'tritonRequestMs', 'image').values, [null, 2]);
    // No request to "text" in the interval: no per-request time, not 0 ms.
    assert.deepEqual(byKey(set, 'tritonRequestMs', 'text').values, [null, null]);
    assert.deepEqual(byKey(set, 'failuresPerSec').values, [null, 0]);
  });

  it('the /metrics text of the real vLLM (0.32 on CPU, captured from the real-servers tier) maps with its own names', () => {
    const a = fs.readFileSync(
      path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'vllm-0.32-cpu.metrics.txt'),
      'utf8',
    );
    // One second later: 10 more requests finished by length, 5 aborted, 100 prompt and 100 generated tokens more.
    const b = a
      .replace(
        /^(vllm:request_success_total\{engine="0",finished_reason="length",model_name="tiny"\}) 20\.0$/m,
        '$1 30.0',
      )
      .replace(/^(vllm:request_success_total\{engine="0",finished_reason="abort",model_name="tiny"\}) 0\.0$/m, '$1 5.0')
      .replace(/^(vllm:prompt_tokens_total\{engine="0",model_name="tiny"\}) 612\.0$/m, '$1 712.0')
      .replace(/^(vllm:generation_tokens_total\{engine="0",model_name="tiny"\}) 200\.0$/m, '$1 300.0');
    assert.notEqual(a, b);
    const set = run(serverRules, [0, a], [1000, b]);
    const sources = Object.fromEntries(set.series.map((s) => [s.key, s.source]));
    assert.deepEqual(sources, {
      requestsRunning: 'vllm:num_requests_running',
      requestsWaiting: 'vllm:num_requests_waiting',
      requestsPerSec: 'vllm:request_success_total',
      failuresPerSec: 'vllm:request_success_total',
      preemptionsPerSec: 'vllm:num_preemptions_total',
      kvCacheUsage: 'vllm:kv_cache_usage_perc',
      prefixCacheHitRate: 'vllm:prefix_cache_hits_total',
      prefixCacheQueriesPerSec: 'vllm:prefix_cache_queries_total',
      prefixCacheHitsPerSec: 'vllm:prefix_cache_hits_total',
      batchTokens: 'vllm:iteration_tokens_total',
      queueTimeMean: 'vllm:request_queue_time_seconds',
      queueTimeP99: 'vllm:request_queue_time_seconds',
      ttftMean: 'vllm:time_to_first_token_seconds',
      ttftP50: 'vllm:time_to_first_token_seconds',
      ttftP99: 'vllm:time_to_first_token_seconds',
      itlMean: 'vllm:inter_token_latency_seconds',
      itlP99: 'vllm:inter_token_latency_seconds',
      e2eMean: 'vllm:e2e_request_latency_seconds',
      e2eP99: 'vllm:e2e_request_latency_seconds',
      prefillMean: 'vllm:request_prefill_time_seconds',
      decodeMean: 'vllm:request_decode_time_seconds',
      promptTokensPerSec: 'vllm:prompt_tokens_total',
      generationTokensPerSec: 'vllm:generation_tokens_total',
      cachedTokensPerSec: 'vllm:prompt_tokens_cached_total',
      // vLLM has no refusal counter of its own: its FastAPI instrumentator's POST 4xx answers are the refusals.
      clientErrorsPerSec: 'http_requests_total',
    });
    // Aborted requests are failures, not completions (vLLM counts both under request_success_total).
    assert.deepEqual(byKey(set, 'requestsPerSec').values, [null, 10]);
    assert.deepEqual(byKey(set, 'failuresPerSec').values, [null, 5]);
    assert.deepEqual(byKey(set, 'promptTokensPerSec').values, [null, 100]);
    assert.deepEqual(byKey(set, 'generationTokensPerSec').values, [null, 100]);
    assert.deepEqual(byKey(set, 'kvCacheUsage').values, [0, 0]);
  });
});
