/**
 * The engine's one time source: monotonic milliseconds with sub-microsecond
 * resolution (performance.now), immune to wall-clock jumps. Records store
 * times relative to the run's start; the wall-clock start goes in the result.
 */
export const now = (): number => performance.now();
