/**
 * Server metrics during real benchmark runs against the embedded
 * personalities (vLLM, TGI, Triton, TorchServe): the result holds mapped
 * series on the records' clock, the raw series file holds every sample, the
 * cross-checks agree (and warn when another client shares the server), and
 * the GPU path works with a FAKE nvidia-smi on PATH (no GPU exists on this
 * machine: the fake prints the documented `--format=csv,noheader,nounits`
 * output for the exact query we send) and with a DCGM exporter text sample
 * served over HTTP.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { isSuccess } from '../../../src/core/bench/record';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { resultFromJson, resultToJson, type BenchResult } from '../../../src/core/bench/result';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { nvidiaSmiArgs } from '../../../src/core/bench/serverMetrics/gpu';
import { readRawSeries } from '../../../src/core/bench/serverMetrics/rawSeries';
import { liveClientPoint, LiveServerMetrics, serverMetricsView } from '../../../src/core/bench/serverMetrics/view';
import type { ProgressEvent, ProgressSnapshot } from '../../../src/core/bench/events';
import type { BenchSpec } from '../../../src/core/bench/spec';
import { EmbeddedServer } from '../../../src/core/embedded/server';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { specFromFlags } from '../../../src/cli/bench';
import { normalizeSpec } from '../../../src/core/bench/specNormalize';
import { personalityLoaders } from '../../../src/core/embedded/personalityList';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-metrics-'));
const TEXT_LATENCY = { prefillBaseMs: 4, prefillPerTokenMs: 0, decodePerTokenMs: 4, jitter: 0 };

const series = (r: BenchResult, key: string, entity?: string) => {
  const s = r.serverMetrics!.server.series.find((x) => x.key === key && x.entity === entity);
  assert.ok(s, `no ${key} series; have ${r.serverMetrics!.server.series.map((x) => x.key).join(', ')}`);
  return s;
};

/** Σ rate × interval over the run: what the server counted between the first and last scrape. */
function integrate(r: BenchResult, key: string): number {
  const t = r.serverMetrics!.server.t;
  const v = series(r, key).values;
  let total = 0;
  for (let i = 1; i < t.length; i++) total += (v[i] ?? 0) * ((t[i] - t[i - 1]) / 1000);
  return total;
}

async function run(name: string, spec: BenchSpec): Promise<BenchResult> {
  const r = await runBenchmark(spec, { recordsPath: path.join(dir, `${name}.records.jsonl`) });
  // The result round-trips through its JSON form and conforms to the schema.
  const json = resultToJson(r);
  assert.deepEqual(resultProblems(JSON.parse(json)), []);
  return resultFromJson(json);
}

async function clientTotals(file: string): Promise<{ ok: number; gen: number; lastEnd: number; firstSend: number }> {
  let ok = 0;
  let firstSend = Infinity;
  let gen = 0;
  let lastEnd = 0;
  for await (const l of readRecordsFile(file)) {
    if (l.kind !== 'record' || !isSuccess(l.record)) continue;
    ok++;
    gen += l.record.ou ?? l.record.oo ?? 0;
    lastEnd = Math.max(lastEnd, l.record.t + l.record.e);
    firstSend = Math.min(firstSend, l.record.t);
  }
  return { ok, gen, lastEnd, firstSend };
}

describe('server metrics in benchmark runs (embedded personalities)', () => {
  const server = new EmbeddedServer(
    {
      portBase: 0,
      models: [
        { name: 'tiny-llm', kind: 'text-generation', latency: TEXT_LATENCY },
        { name: 'resnet50', kind: 'image-classification', latency: { batchBaseMs: 2, perItemMs: 0.5, jitter: 0 } },
        // Room for 2 sequences and 1,000 KV tokens: at 4 streams, half of them wait.
        {
          name: 'two-seq-llm',
          kind: 'text-generation',
          latency: { ...TEXT_LATENCY, maxBatch: 2, kvCacheTokens: 1000 },
        },
      ],
    },
    {
      loaders: {
        vllm: personalityLoaders.vllm,
        tgi: personalityLoaders.tgi,
        triton: personalityLoaders.triton,
        torchserve: personalityLoaders.torchserve,
      },
    },
  );
  let ep: Record<string, string>;
  let dcgm: http.Server;
  let dcgmUrl: string;
  let fakeBin: string;
  const savedPath = process.env.PATH;

  before(async () => {
    ep = await server.start();
    // A DCGM exporter sample (dcgm-exporter's default counters), utilization rising with each scrape.
    let n = 0;
    dcgm = http.createServer((_req, res) => {
      n++;
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(
        `# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).\n# TYPE DCGM_FI_DEV_GPU_UTIL gauge\nDCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11",device="nvidia0",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} ${Math.min(100, n)}\n# HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).\n# TYPE DCGM_FI_DEV_FB_USED gauge\nDCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11",device="nvidia0",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 36512\n# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).\n# TYPE DCGM_FI_DEV_POWER_USAGE gauge\nDCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11",device="nvidia0",modelName="NVIDIA A100-SXM4-40GB",Hostname="node1"} 243.117\n`,
      );
    });
    await new Promise<void>((r) => dcgm.listen(0, '127.0.0.1', r));
    dcgmUrl = `http://127.0.0.1:${(dcgm.address() as AddressInfo).port}/metrics`;
    // FAKE nvidia-smi (this machine has no GPU): prints what the real one prints for our exact query, refuses any other.
    fakeBin = path.join(dir, 'bin');
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(
      path.join(fakeBin, 'nvidia-smi'),
      `#!/bin/sh\n# FAKE nvidia-smi for tests: no GPU on this machine.\nif [ "$1" != "${nvidiaSmiArgs[0]}" ] || [ "$2" != "${nvidiaSmiArgs[1]}" ]; then echo "unexpected arguments: $*" >&2; exit 2; fi\nprintf '0, GPU-1d7b6b4e-0d3c-1b52-a7bb-4e6f2d0c2c11, NVIDIA A100-SXM4-40GB, 87, 36512, 40960, 243.11, 1410, 1215, 61\\n1, GPU-8a2e1f9c-3b4d-7e6f-9a1b-2c3d4e5f6a7b, NVIDIA A100-SXM4-40GB, 0, 3, 40960, [N/A], 210, 1215, 33\\n'\n`,
      { mode: 0o755 },
    );
  });

  after(async () => {
    process.env.PATH = savedPath;
    await server.stop();
    await new Promise((r) => dcgm.close(r));
  });

  /** 4 streams of 24 prompt and 12 output tokens for 1.5 s on the embedded vLLM, scraped every 200 ms. */
  const vllmSpec = (): BenchSpec => ({
    url: ep.vllm,
    group: 'text-generation',
    load: { concurrency: [4] },
    durationSec: 1.5,
    warmup: 2,
    text: { inputTokens: { mean: 24 }, outputTokens: { mean: 12 } },
    serverMetrics: { intervalSec: 0.2 },
  });

  it('vLLM: mapped series on the records clock, totals equal to the client, raw series kept, no GPU said plainly', async () => {
    const r = await run('vllm', vllmSpec());
    const sm = r.serverMetrics!;
    assert.equal(sm.enabled, true);
    assert.equal(sm.url, `${ep.vllm}/metrics`);
    assert.equal(sm.intervalMs, 200);
    assert.equal(sm.scrapes.failed, 0);
    assert.ok(sm.scrapes.ok >= 8, `${sm.scrapes.ok} scrapes in ~1.5 s at 200 ms`);
    const t = sm.server.t;
    assert.equal(t.length, sm.scrapes.ok);
    for (const s of sm.server.series) assert.equal(s.values.length, t.length, `${s.key} has a value per scrape time`);
    // Same clock as the records: the first scrape precedes every request, the last follows every one.
    const client = await clientTotals(r.recordsPath);
    assert.ok(t[0] >= 0 && t[0] < client.firstSend, `first scrape at ${t[0]} ms, first send at ${client.firstSend} ms`);
    assert.ok(
      t[t.length - 1] > client.lastEnd,
      `last scrape ${t[t.length - 1]} after the last response ${client.lastEnd}`,
    );
    // Gauges saw the 4 requests in flight; counters integrate to the client's totals (warm-up included).
    assert.equal(Math.max(...series(r, 'requestsRunning').values.map((v) => v ?? 0)), 4);
    assert.equal(series(r, 'kvCacheUsage').unit, '%');
    assert.equal(Math.round(integrate(r, 'requestsPerSec')), client.ok);
    assert.equal(Math.round(integrate(r, 'generationTokensPerSec')), client.gen);
    // The server's own TTFT is the latency model's prefill (4 ms) or later, in ms (not s or µs). A timer may fire
    // up to 1 ms before a high-resolution clock says its delay is over (libuv schedules from the loop's cached time),
    // so the floor is 3 ms; a unit error would give 0.004 or 4000.
    const ttft = series(r, 'ttftMean').values.filter((v): v is number => v !== null);
    assert.ok(ttft.length > 3 && ttft.every((v) => v >= 3 && v < 100), `server TTFT means ${ttft.join(', ')}`);
    assert.deepEqual(
      sm.crossChecks.map((c) => [c.key, c.ok]),
      [
        ['promptTokens', true],
        ['generationTokens', true],
        ['requestRate', true],
        ['queueVsTtft', true],
      ],
    );
    assert.equal(sm.crossChecks[1].server, client.gen);
    assert.deepEqual(r.warnings, []);
    // Raw series: every sample, per scrape; the counter's growth equals the mapped total.
    const raw = await readRawSeries(sm.rawPath!);
    const src = raw.sources.get('server')!;
    assert.deepEqual(src.t, t);
    const gen = src.series.get('vllm:generation_tokens_total{engine="0",model_name="tiny-llm"}')!;
    assert.equal(gen[gen.length - 1]! - (gen[0] ?? 0), client.gen);
    // Σ (interval TTFT mean × first tokens in the interval) = the histogram's Δsum over the run, in ms.
    const sum = src.series.get('vllm:time_to_first_token_seconds_sum{engine="0",model_name="tiny-llm"}')!;
    const count = src.series.get('vllm:time_to_first_token_seconds_count{engine="0",model_name="tiny-llm"}')!;
    const means = series(r, 'ttftMean').values;
    let weighted = 0;
    for (let i = 1; i < t.length; i++) weighted += (means[i] ?? 0) * (count[i]! - count[i - 1]!);
    assert.ok(
      Math.abs(weighted - (sum[sum.length - 1]! - sum[0]!) * 1000) < 1e-6,
      `Σ interval means ${weighted} vs Δsum`,
    );
    assert.equal(sm.gpu.source, 'none');
    assert.match(
      sm.gpu.detail,
      /^No GPU telemetry available: no DCGM exporter URL was given \(--dcgm-url\); nvidia-smi is not on PATH/,
    );
  });

  it('live: client snapshots and server points on the records clock; the live server view equals the stored one', async () => {
    const events: ProgressEvent[] = [];
    const r = await runBenchmark(vllmSpec(), {
      recordsPath: path.join(dir, 'live.records.jsonl'),
      onProgress: (e) => events.push(e),
      progressIntervalMs: 200,
    });
    // Each live client point's time (from its snapshot) closes the interval it counts, on the records' clock:
    // the successful measured requests that ended by then are exactly the snapshot's completed count.
    const ends: number[] = [];
    for await (const l of readRecordsFile(r.recordsPath))
      if (l.kind === 'record' && isSuccess(l.record) && !l.record.w) ends.push(l.record.t + l.record.e);
    const snaps = events.filter((e): e is ProgressSnapshot => e.type === 'snapshot');
    assert.ok(snaps.length >= 5, `${snaps.length} snapshots`);
    for (const e of snaps) {
      const p = liveClientPoint(e, -1);
      assert.equal(p.t, e.tMs! / 1000, 'the live point is on the run clock, not the host clock');
      assert.equal(ends.filter((x) => x <= p.t * 1000).length, e.completed, `requests ended by ${p.t} s`);
    }
    // The live server points, gathered as the panel gathers them, give the stored series time for time.
    const live = new LiveServerMetrics();
    for (const e of events) {
      if (e.type === 'server-metrics-info') live.start(e);
      if (e.type === 'server-metrics') live.add(e);
    }
    const shown = live.view().groups;
    const stored = serverMetricsView(r.serverMetrics!).groups;
    assert.deepEqual(
      shown.map((g) => g.id),
      stored.map((g) => g.id),
    );
    assert.deepEqual(shown, stored);
    assert.ok(stored.find((g) => g.id === 'requests')!.t.length >= 8);
    // Both clocks in one picture: every live client point lies inside the span of the server readings.
    const ts = stored[0].t;
    for (const e of snaps) assert.ok(e.tMs! / 1000 > ts[0] && e.tMs! / 1000 < ts[ts.length - 1], `${e.tMs} ms`);
  });

  it("the embedded vLLM's gauges move as a real one's: running up to its batch limit, the rest waiting, KV usage with the tokens held", async () => {
    const r = await run('vllm-full', {
      ...vllmSpec(),
      model: 'two-seq-llm',
      durationSec: 1.2,
      text: { inputTokens: { mean: 100 }, outputTokens: { mean: 25 } },
    });
    const vals = (key: string) => series(r, key).values.filter((v): v is number => v !== null);
    const running = vals('requestsRunning');
    const waiting = vals('requestsWaiting');
    const kv = vals('kvCacheUsage');
    assert.equal(Math.max(...running), 2, `running ${running.join(',')}`);
    assert.equal(Math.max(...waiting), 2, `waiting ${waiting.join(',')}`);
    // Two sequences of 100 prompt tokens hold 20.0–25.0 % of 1,000 KV tokens while decoding (up to 25 more each),
    // 0 % before the first request and after the last.
    const busy = kv.filter((v) => v > 0);
    assert.ok(busy.length >= 3 && busy.every((v) => v >= 10 && v <= 25), `KV usage ${kv.join(',')}`);
    assert.ok(new Set(busy.map((v) => v.toFixed(1))).size >= 2, `KV usage does not move: ${kv.join(',')}`);
    assert.equal(kv[0], 0);
    assert.equal(kv[kv.length - 1], 0);
    // Waiting requests queue: the server's mean queue time is well above zero (a request waits a whole generation).
    assert.ok(Math.max(...vals('queueTimeMean')) > 50, `queue ${vals('queueTimeMean').join(',')}`);
  });

  it('GPU through a FAKE nvidia-smi on PATH: its documented CSV becomes per-GPU series', async () => {
    process.env.PATH = `${fakeBin}${path.delimiter}${savedPath}`;
    try {
      const r = await run('nvsmi', {
        url: ep.vllm,
        group: 'text-generation',
        load: { concurrency: [2] },
        durationSec: 0.8,
        text: { inputTokens: { mean: 8 }, outputTokens: { mean: 4 } },
        serverMetrics: { intervalSec: 0.2 },
      });
      const gpu = r.serverMetrics!.gpu;
      assert.equal(gpu.source, 'nvidia-smi');
      assert.ok(gpu.t.length >= 4);
      const get = (key: string, e: string) => gpu.series.find((s) => s.key === key && s.entity === e)!.values;
      assert.ok(get('gpuUtilization', '0').every((v) => v === 87));
      assert.ok(get('gpuMemoryUsedMiB', '1').every((v) => v === 3));
      assert.ok(get('gpuMemoryTotalMiB', '0').every((v) => v === 40960));
      assert.ok(get('gpuSmClockMHz', '0').every((v) => v === 1410));
      assert.ok(get('gpuPowerW', '0').every((v) => v === 243.11));
      assert.equal(
        gpu.series.find((s) => s.key === 'gpuPowerW' && s.entity === '1'),
        undefined,
        '[N/A] power is no reading',
      );
      const raw = await readRawSeries(r.serverMetrics!.rawPath!);
      assert.deepEqual(raw.sources.get('gpu')!.t, gpu.t);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('GPU from a DCGM exporter URL (--dcgm-url): a sample per interval on the same clock', async () => {
    const r = await run('dcgm', {
      url: ep.vllm,
      group: 'text-generation',
      load: { concurrency: [2] },
      durationSec: 0.8,
      text: { inputTokens: { mean: 8 }, outputTokens: { mean: 4 } },
      serverMetrics: { intervalSec: 0.2, dcgmUrl },
    });
    const gpu = r.serverMetrics!.gpu;
    assert.equal(gpu.source, 'dcgm');
    const util = gpu.series.find((s) => s.key === 'gpuUtilization' && s.entity === '0')!.values;
    // The sample's utilization counts its scrapes: 1, 2, 3…
    assert.deepEqual(
      util,
      util.map((_, i) => (util[0] as number) + i),
    );
    assert.ok(gpu.series.find((s) => s.key === 'gpuPowerW')!.values.every((v) => v === 243.117));
    assert.ok(gpu.t.every((x, i) => i === 0 || x > gpu.t[i - 1]));
  });

  it('TGI: its own /metrics, queue and batch gauges, token totals from the length histograms', async () => {
    const r = await run('tgi', {
      url: ep.tgi,
      group: 'text-generation',
      load: { concurrency: [3] },
      durationSec: 1,
      text: { inputTokens: { mean: 16 }, outputTokens: { mean: 8 } },
      serverMetrics: { intervalSec: 0.2 },
    });
    const client = await clientTotals(r.recordsPath);
    assert.equal(series(r, 'requestsPerSec').source, 'tgi_request_success');
    assert.equal(Math.round(integrate(r, 'requestsPerSec')), client.ok);
    assert.equal(Math.round(integrate(r, 'generationTokensPerSec')), client.gen);
    assert.equal(Math.max(...series(r, 'batchSize').values.map((v) => v ?? 0)), 3);
    assert.ok(
      r.serverMetrics!.crossChecks.every((c) => c.ok),
      JSON.stringify(r.serverMetrics!.crossChecks),
    );
  });

  it('Triton: its metrics port (given with --server-metrics), per-model queue and compute series', async () => {
    const r = await run('triton', {
      url: ep.triton,
      group: 'image-classification',
      model: 'resnet50',
      load: { concurrency: [2] },
      durationSec: 1,
      serverMetrics: { url: `${ep.tritonMetrics}/metrics`, intervalSec: 0.2 },
    });
    const client = await clientTotals(r.recordsPath);
    assert.equal(Math.round(integrate(r, 'requestsPerSec')), client.ok);
    for (const key of ['tritonQueueMs', 'tritonComputeInputMs', 'tritonComputeInferMs', 'tritonComputeOutputMs']) {
      const s = series(r, key, 'resnet50');
      assert.ok(
        s.values.some((v) => v !== null && v >= 0),
        `${key}: ${s.values.join(',')}`,
      );
    }
    // Per interval, the parts of a request (queue, compute input/infer/output) fit inside its duration, as in Triton.
    const part = (k: string) => series(r, k, 'resnet50').values;
    const total = part('tritonRequestMs');
    total.forEach((v, i) => {
      if (v === null) return;
      const sum = ['tritonQueueMs', 'tritonComputeInputMs', 'tritonComputeInferMs', 'tritonComputeOutputMs'].reduce(
        (a, k) => a + (part(k)[i] ?? 0),
        0,
      );
      assert.ok(sum <= v + 0.01, `interval ${i}: parts ${sum} ms > request ${v} ms`);
    });
    // Σ (infer ms per request × requests in the interval) = the counter's growth in the raw series.
    const raw = (await readRawSeries(r.serverMetrics!.rawPath!)).sources.get('server')!;
    const inferUs = raw.series.get('nv_inference_compute_infer_duration_us{model="resnet50",version="1"}')!;
    const ok = raw.series.get('nv_inference_request_success{model="resnet50",version="1"}')!;
    let weighted = 0;
    for (let i = 1; i < ok.length; i++)
      weighted += (part('tritonComputeInferMs')[i] ?? 0) * ((ok[i] ?? 0) - (ok[i - 1] ?? 0));
    assert.ok(
      Math.abs(weighted - ((inferUs[inferUs.length - 1] ?? 0) - (inferUs[0] ?? 0)) / 1000) < 1e-6,
      `weighted ${weighted}`,
    );
    assert.ok(r.serverMetrics!.crossChecks.find((c) => c.key === 'requestRate')!.ok);
  });

  it('TorchServe: its metrics port (given), request rate and mean latency per request', async () => {
    const r = await run('torchserve', {
      url: ep.torchserve,
      group: 'image-classification',
      model: 'resnet50',
      load: { concurrency: [2] },
      durationSec: 1,
      serverMetrics: { url: `${ep.torchserveMetrics}/metrics`, intervalSec: 0.2 },
    });
    const client = await clientTotals(r.recordsPath);
    assert.equal(series(r, 'requestsPerSec').source, 'ts_inference_requests_total');
    assert.equal(Math.round(integrate(r, 'requestsPerSec')), client.ok);
    assert.ok(series(r, 'e2eMean').values.some((v) => v !== null && v > 0));
  });

  it('another client on the same server: the request-rate cross-check fails and warns on the run', async () => {
    const ctrl = new AbortController();
    const other = (async () => {
      while (!ctrl.signal.aborted) {
        await fetch(`${ep.vllm}/v1/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'tiny-llm', prompt: 'hello', max_tokens: 2 }),
        })
          .then((res) => res.text())
          .catch(() => undefined);
      }
    })();
    try {
      const r = await run('shared', {
        url: ep.vllm,
        group: 'text-generation',
        load: { concurrency: [1] },
        durationSec: 0.8,
        text: { inputTokens: { mean: 8 }, outputTokens: { mean: 4 } },
        serverMetrics: { intervalSec: 0.2 },
      });
      const check = r.serverMetrics!.crossChecks.find((c) => c.key === 'requestRate')!;
      assert.equal(check.ok, false);
      assert.ok(check.server > check.client * 1.5, `server ${check.server} req/s vs client ${check.client}`);
      assert.ok(
        r.warnings.some((w) =>
          /^Cross-check Request rate \(within 2 % or 1 request over the run\): The server counted \d+ requests/.test(w),
        ),
        r.warnings.join('\n'),
      );
    } finally {
      ctrl.abort();
      await other;
    }
  });

  it('turned off: no scrapes, said so in the result', async () => {
    const r = await run('off', {
      url: ep.vllm,
      group: 'text-generation',
      load: { concurrency: [1] },
      requests: 3,
      text: { inputTokens: { mean: 8 }, outputTokens: { mean: 4 } },
      serverMetrics: false,
    });
    assert.equal(r.serverMetrics!.enabled, false);
    assert.deepEqual(r.serverMetrics!.server, { t: [], series: [] });
    assert.equal(fs.existsSync(path.join(dir, 'off.server-metrics.jsonl')), false);
  });

  it('a metrics endpoint that does not answer: the run completes and says why there are no series', async () => {
    const r = await run('dead', {
      url: ep.vllm,
      group: 'text-generation',
      load: { concurrency: [1] },
      requests: 3,
      text: { inputTokens: { mean: 8 }, outputTokens: { mean: 4 } },
      serverMetrics: { url: 'http://127.0.0.1:9/metrics', intervalSec: 0.2 },
    });
    assert.equal(r.steps[0].summary.counts.completed, 3);
    assert.equal(r.serverMetrics!.scrapes.ok, 0);
    assert.ok(
      r.warnings.some((w) =>
        /^Server metrics: No scrape of http:\/\/127\.0\.0\.1:9\/metrics succeeded: .*ECONNREFUSED/.test(w),
      ),
      r.warnings.join('\n'),
    );
  });

  it('CLI: prints the server series, the GPU source and the cross-checks after the summary table', async () => {
    const out = path.join(dir, 'cli.json');
    const args = [
      'src/cli/main.ts',
      'bench',
      '--url',
      ep.vllm,
      '--group',
      'text-generation',
      '--duration',
      '1s',
      '--concurrency',
      '2',
      '--input-tokens',
      '8',
      '--output-tokens',
      '4',
      '--server-metrics-interval',
      '250ms',
      '--out',
      out,
    ];
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', ...args], {
        cwd: path.resolve(__dirname, '..', '..', '..'),
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d));
      p.stderr.on('data', (d: Buffer) => (stderr += d));
      p.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
    assert.equal(r.code, 0, r.stderr);
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.equal(res.serverMetrics!.intervalMs, 250);
    assert.match(
      r.stdout,
      new RegExp(`^Server metrics: ${ep.vllm}/metrics every 0.25 s, ${res.serverMetrics!.scrapes.ok} scrapes$`, 'm'),
    );
    assert.match(r.stdout, /^ {2}Requests running +mean +[\d.]+ +max +[12]\.00 +requests$/m);
    assert.match(r.stdout, /^GPU: No GPU telemetry available: /m);
    assert.match(
      r.stdout,
      /^Cross-check Generation tokens: server ([\d.]+) vs client \1 tokens \(within 5 % or 2 tokens\) ok$/m,
    );
    assert.ok(res.serverMetrics!.scrapes.ok >= 4);
  });
});

describe('server-metrics CLI flags', () => {
  const opts = {
    url: { type: 'string' },
    group: { type: 'string' },
    'server-metrics': { type: 'string' },
    'no-server-metrics': { type: 'boolean' },
    'server-metrics-interval': { type: 'string' },
    'dcgm-url': { type: 'string' },
    container: { type: 'string' },
  } as const;
  const flags = async (argv: string[], base = {}) => {
    const values = parseArgs({
      args: ['--url', 'http://h:1', '--group', 'text-generation', ...argv],
      options: opts,
    }).values;
    return normalizeSpec(specFromFlags(values as never, base)).serverMetrics;
  };
  it('on by default every second; each flag sets its field; a spec file value is overridden', async () => {
    assert.deepEqual(await flags([]), { enabled: true, intervalSec: 1 });
    assert.deepEqual(await flags(['--no-server-metrics']), { enabled: false, intervalSec: 1 });
    assert.deepEqual(
      await flags([
        '--server-metrics',
        'http://h:8002/metrics',
        '--server-metrics-interval',
        '500ms',
        '--dcgm-url',
        'http://gpu:9400/metrics',
        '--container',
        'il-vllm',
      ]),
      {
        enabled: true,
        intervalSec: 0.5,
        url: 'http://h:8002/metrics',
        dcgmUrl: 'http://gpu:9400/metrics',
        container: 'il-vllm',
      },
    );
    assert.deepEqual(await flags(['--server-metrics-interval', '2s'], { serverMetrics: false }), {
      enabled: true,
      intervalSec: 2,
    });
  });
  it('bad values get a clear error', async () => {
    await assert.rejects(
      flags(['--no-server-metrics', '--server-metrics', 'http://h/metrics']),
      /--no-server-metrics cannot be combined with --server-metrics/,
    );
    await assert.rejects(
      flags(['--server-metrics', 'h:8002/metrics']),
      /server metrics URL "h:8002\/metrics" is not an http\(s\) URL/,
    );
    await assert.rejects(
      flags(['--server-metrics-interval', '10ms']),
      /server metrics interval must be between 0\.1 and 3600 seconds/,
    );
  });
});
