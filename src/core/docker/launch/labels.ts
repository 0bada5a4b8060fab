/**
 * Labels we put on every container we launch, so that the Servers view can
 * recognise them later (also after a restart of VS Code) and rebuild the
 * server facts without any state of ours.
 */
export const labelKeys = {
  /** "true" on every container Inference Lab created. */
  managed: 'inference-lab.managed',
  /** Preset id (`vllm`, `triton`, … or a workspace preset id). */
  preset: 'inference-lab.preset',
  /** Server kind the explorer should use for the adapter (`vllm`, `triton`, …). */
  serverKind: 'inference-lab.server-kind',
  /** GPU assignment: "all", "0,1", or "none". */
  gpus: 'inference-lab.gpus',
  /** Health path of the preset, for re-checking readiness later. */
  healthPath: 'inference-lab.health-path',
  /** Container port of the main HTTP endpoint (e.g. "8000"). */
  httpPort: 'inference-lab.http-port',
  /**
   * The launch options as JSON (they never hold secrets), so that "Copy docker run"
   * and "Relaunch" can rebuild the launch later. Set by `launch` only, not rendered.
   */
  launchOptions: 'inference-lab.launch-options',
} as const;

export function isManaged(labels: Record<string, string>): boolean {
  return labels[labelKeys.managed] === 'true' || labels[labelKeys.preset] !== undefined;
}
