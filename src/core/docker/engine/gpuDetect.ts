import type { RawInfo } from './engineSchemas';
import type { GpuSupport } from '../types';

// The NVIDIA Container Toolkit registers runtimes named nvidia, nvidia-cdi,
// nvidia-legacy or nvidia-experimental (`nvidia-ctk runtime configure`).
const gpuRuntimePattern = /nvidia/i;
// CDI device names are `vendor.com/class=name`; GPUs use the gpu class.
const cdiGpuPattern = /^[a-z0-9.-]+\/gpu=/i;
const genericGpuKind = /gpu/i;

/**
 * Whether `--gpus` can work on this engine, and which GPUs it reports.
 * Engines list GPUs themselves only through CDI discovery (API 1.50+,
 * `DiscoveredDevices`) or swarm generic resources; otherwise the list is empty
 * even when GPUs exist, and the caller falls back to "all GPUs".
 */
export function detectGpuSupport(info: RawInfo): GpuSupport {
  const allRuntimes = Object.keys(info.Runtimes ?? {});
  const runtimes = allRuntimes.filter((r) => gpuRuntimePattern.test(r));
  const cdiDevices = (info.DiscoveredDevices ?? []).filter((d) => d.Source === 'cdi').map((d) => d.ID);
  const cdiGpus = cdiDevices.filter((d) => cdiGpuPattern.test(d));
  const gpus: GpuSupport['gpus'] = [];
  for (const d of cdiGpus) {
    const id = d.slice(d.indexOf('=') + 1);
    if (id !== 'all') gpus.push({ id, source: 'cdi' });
  }
  for (const r of info.GenericResources ?? []) {
    const named = r.NamedResourceSpec;
    if (named && genericGpuKind.test(named.Kind ?? '') && named.Value)
      gpus.push({ id: named.Value, source: 'generic-resource' });
    const discrete = r.DiscreteResourceSpec;
    if (discrete && genericGpuKind.test(discrete.Kind ?? '') && typeof discrete.Value === 'number') {
      for (let i = 0; i < discrete.Value; i++) gpus.push({ id: String(i), source: 'generic-resource' });
    }
  }
  const available = runtimes.length > 0 || cdiGpus.length > 0;
  const evidence = available
    ? [
        runtimes.length ? `runtime ${runtimes.map((r) => `"${r}"`).join(', ')} registered` : '',
        cdiGpus.length ? `CDI devices ${cdiGpus.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')
    : `no NVIDIA runtime among the engine's runtimes (${allRuntimes.join(', ') || 'none'}) and no CDI GPU devices`;
  return { available, runtimes, cdiDevices, gpus, evidence };
}
