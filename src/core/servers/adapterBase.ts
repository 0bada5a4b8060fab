/**
 * What every adapter shares: its HTTP context built from the server config,
 * `fingerprint()` on top of a per-kind matcher, and a Prometheus scrape of
 * `<url>/metrics` (or the configured metrics URL) mapped to common gauges.
 */
import type { HttpResponse } from '../http/client';
import type { InferenceError } from '../http/errors';
import { metricsFromText, metricsUnavailable, type MetricsSnapshot } from '../metrics/gauges';
import { ProbeSession } from './probeSession';
import { ServerHttp } from './serverHttp';
import type {
  FingerprintResult,
  HealthResult,
  ModelInfo,
  ModelMetadata,
  OipGrpcProbe,
  ServerAdapter,
  ServerConfig,
  ServerKind,
  StreamFraming,
} from './types';

export abstract class AdapterBase implements ServerAdapter {
  abstract readonly kind: ServerKind;
  readonly streamFraming: StreamFraming = 'sse';
  readonly http: ServerHttp;

  constructor(
    readonly config: ServerConfig,
    mapError?: (res: HttpResponse) => InferenceError | undefined,
  ) {
    this.http = new ServerHttp(config.url, {
      apiKey: config.apiKey,
      allowSelfSigned: config.allowSelfSigned,
      timeoutMs: config.timeoutMs,
      mapError,
    });
  }

  /** Decides from a probe session whether this server is of this adapter's kind. */
  abstract match(probe: ProbeSession): Promise<FingerprintResult>;
  abstract health(signal?: AbortSignal): Promise<HealthResult>;
  abstract listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  abstract modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata>;

  /** OIP kinds only: gRPC health/metadata when a gRPC address is configured. */
  grpc?(): OipGrpcProbe | undefined;

  fingerprint(baseUrl: string, signal?: AbortSignal): Promise<FingerprintResult> {
    return this.match(new ProbeSession(this.http.at(baseUrl), signal));
  }

  async version(_signal?: AbortSignal): Promise<string | undefined> {
    return undefined;
  }

  /** The Prometheus URL, or undefined when this server has none (then `noMetricsReason` says why). */
  protected metricsUrl(): string | undefined {
    return this.config.metricsUrl ?? this.http.url('/metrics');
  }

  protected noMetricsReason = 'This server exposes no Prometheus metrics.';

  metricsEndpoint(): { url?: string; reason?: string } {
    const url = this.metricsUrl();
    return url ? { url } : { reason: this.noMetricsReason };
  }

  async metrics(signal?: AbortSignal): Promise<MetricsSnapshot> {
    const url = this.metricsUrl();
    if (!url) return metricsUnavailable(this.noMetricsReason);
    const http = this.http.at(url);
    const res = await http.get('', signal);
    // A server run without its metrics endpoint (or behind a proxy) answers 404:
    // that is "no metrics here", not a failure of the server.
    if (res.status === 404 && !this.config.metricsUrl) {
      return metricsUnavailable(
        `No Prometheus endpoint at ${url} (HTTP 404): set this server's metrics URL if it serves metrics elsewhere.`,
      );
    }
    return metricsFromText(http.ensureOk(res).text(), url);
  }
}
