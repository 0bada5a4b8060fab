import path from 'node:path';
import * as esbuild from 'esbuild';

export type EngineModule = typeof import('./engineEntry');

/** Bundles engineEntry.ts like the CLI bundle (node, cjs, minified) and loads it. */
export async function loadBundledEngine(root: string, outDir: string): Promise<EngineModule> {
  const outfile = path.join(outDir, 'engine.bundle.cjs');
  await esbuild.build({
    entryPoints: [path.join(root, 'test/bench/engine/engineEntry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    logLevel: 'error',
    external: ['vscode', 'cpu-features', 'ssh2'],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(outfile) as EngineModule;
}
