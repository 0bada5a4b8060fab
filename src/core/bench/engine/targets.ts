import { groupEngines } from '../groups';
import type { NormalizedSpec } from '../specNormalize';
import type { TargetFactory } from './callTarget';
import type { Endpoint } from './endpoint';
import type { PreparedWorkload } from '../workload/prepare';
import type { ResolvedServer } from './resolveServer';

/** The target factory for one batch size of the run's group and API (the group's descriptor, src/core/bench/groups.ts). */
export function targetFactory(
  spec: NormalizedSpec,
  server: ResolvedServer,
  endpoint: Endpoint,
  batchSize: number,
  workload: PreparedWorkload,
): TargetFactory {
  return groupEngines[spec.group].targets(spec, server, endpoint, batchSize, workload);
}
