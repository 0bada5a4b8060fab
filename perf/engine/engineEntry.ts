/**
 * What bench:engine loads from an esbuild bundle, built the way dist/cli.js
 * is (bundled, minified, no tsx helpers on every closure), so the figures are
 * those of the shipped engine.
 */
export { runBenchmark } from '../../src/core/bench/runBenchmark';
export { HttpTarget } from '../../src/core/bench/engine/httpTarget';
export { InFlight } from '../../src/core/bench/engine/inFlight';
export { runClosedLoop } from '../../src/core/bench/engine/closedLoop';
