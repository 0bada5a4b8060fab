/**
 * What the Triton, KServe and generic OIP adapters share: the `GET /v2`
 * fingerprint by server name, status-code health, OIP model metadata and the
 * gRPC side. Each subclass says which names it claims and how it lists models.
 */
import { AdapterBase } from '../adapterBase';
import { ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelMetadata } from '../types';
import { matchByName, oipHealth, oipModelMetadata, probeServerMetadata, type OipServerMetadata } from './oipCommon';
import type { OipGrpcProbe } from '../types';
import { derivedGrpcAddress, oipGrpcProbe } from './oipGrpc';

export abstract class OipAdapterBase extends AdapterBase {
  /** Whether a `GET /v2` server name belongs to this adapter's kind. */
  protected abstract claims(name: string): boolean;

  match(probe: ProbeSession): Promise<FingerprintResult> {
    return matchByName(probe, (n) => this.claims(n));
  }

  protected serverMetadata(signal?: AbortSignal): Promise<OipServerMetadata | undefined> {
    return probeServerMetadata(new ProbeSession(this.http, signal));
  }

  override async version(signal?: AbortSignal): Promise<string | undefined> {
    return (await this.serverMetadata(signal))?.version;
  }

  health(signal?: AbortSignal): Promise<HealthResult> {
    return oipHealth(this.http, signal);
  }

  modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    return oipModelMetadata(this.http, model, signal);
  }

  /**
   * gRPC health/metadata on the configured gRPC address; without one, on the HTTP port + 1 (Triton 8001, KServe
   * 8081 by default), marked `derived`: the probe confirms it before anything uses it.
   */
  override grpc(): OipGrpcProbe | undefined {
    const configured = oipGrpcProbe(this.config);
    if (configured || this.config.grpcAddress?.trim()) return configured;
    const address = derivedGrpcAddress(this.config.url);
    const probe = address ? oipGrpcProbe({ ...this.config, grpcAddress: address }) : undefined;
    return probe && { ...probe, derived: true };
  }
}
