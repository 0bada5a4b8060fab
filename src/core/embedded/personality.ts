/**
 * The contract between the embedded server and each server "personality"
 * (vLLM, Triton, TGI, Ollama, TorchServe, TF Serving, TEI, Ray Serve). A
 * personality speaks one real server's wire protocol on its own port(s) and
 * draws models, timing, metrics and faults from the shared context.
 */
import type { Logger } from '../util/logger';
import type { Clock } from './clock';
import type { FaultInjector } from './faults';
import type { LatencyEngine } from './latency/engine';
import type { MetricsRegistry } from './metrics/registry';
import type { ModelRegistry } from './models/registry';

/** Everything a running personality may use. Shared by all personalities of one server except `options`. */
export interface EmbeddedContext {
  /** The simulated models (a personality serves the kinds it supports). */
  readonly models: ModelRegistry;
  /** Timing of generations and batches (shared: personalities compete for the same slots). */
  readonly engine: LatencyEngine;
  /** Prometheus registry; each personality registers and renders its own name prefix. */
  readonly metrics: MetricsRegistry;
  /** Injected errors, disconnects, slow start and not-ready window. */
  readonly faults: FaultInjector;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Wall time the server started (epoch ms), e.g. for uptime or `created`. */
  readonly startedAtEpochMs: number;
  /** Version string the personalities report where their server reports one of its own. */
  readonly version: string;
  /** This personality's own options from the config (`personalities.<name>`, minus enabled/port/host). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What `start` returns: the listening endpoints and a way to stop them. */
export interface PersonalityHandle {
  /**
   * Endpoint name → address, e.g. `{ triton: "http://127.0.0.1:8000",
   * tritonGrpc: "127.0.0.1:8001", tritonMetrics: "http://127.0.0.1:8002" }`.
   * HTTP endpoints are URLs without a trailing slash; gRPC ones are host:port.
   */
  endpoints: Record<string, string>;
  /** Stops accepting, ends open connections and streams, and resolves when every port is closed. */
  close(): Promise<void>;
}

export interface Personality {
  /** Config key and first endpoint name, e.g. "vllm", "triton". */
  readonly name: string;
  /** Human label, e.g. "vLLM (OpenAI-compatible)". */
  readonly title: string;
  /**
   * Offset of its first port from the server's port base (ports are base +
   * offset + i). Assigned: vllm 0, triton 10–12, tgi 20, ollama 30,
   * torchserve 40–42, tfserving 50–51, tei 60, rayserve 70.
   */
  readonly portOffset: number;
  /** Number of consecutive ports it listens on (Triton: HTTP, gRPC, metrics = 3). */
  readonly portCount: number;
  /**
   * Starts listening. With `port` 0 every listener takes a free port (tests);
   * otherwise listener i binds `port + i`. Rejects (closing what it opened)
   * if a port is busy or `signal` aborts.
   */
  start(ctx: EmbeddedContext, host: string, port: number, signal?: AbortSignal): Promise<PersonalityHandle>;
}
