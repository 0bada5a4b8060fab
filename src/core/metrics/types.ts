/** The metrics contract: the common gauges every server kind maps onto, and one scrape's snapshot. */
export interface CommonGauges {
  requestsRunning?: number;
  requestsQueued?: number;
  /** KV-cache use, 0–1. */
  kvCacheUsage?: number;
  /** Mean GPU utilization over GPUs, 0–1. */
  gpuUtilization?: number;
  gpuMemoryUsedBytes?: number;
  gpuMemoryTotalBytes?: number;
  /** Counters since server start. */
  requestsTotal?: number;
  requestsFailed?: number;
  promptTokensTotal?: number;
  generationTokensTotal?: number;
}

export interface MetricsSnapshot {
  /** False when this server kind (or its configuration) exposes no metrics. */
  available: boolean;
  /** Why metrics are unavailable. */
  reason?: string;
  url?: string;
  /** The scraped text as-is, for an "Open Metrics" view. */
  raw: string;
  gauges: CommonGauges;
  /** How many samples the text held. */
  sampleCount: number;
}
