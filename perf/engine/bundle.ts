import path from 'node:path';
import * as esbuild from 'esbuild';

export type EngineModule = typeof import('./engineEntry');

/** Bundles a bench entry like the CLI bundle (node, cjs, minified); returns the file. */
export async function bundle(root: string, entry: string, outfile: string): Promise<string> {
  await esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    logLevel: 'error',
    external: ['vscode', 'cpu-features', 'ssh2'],
  });
  return outfile;
}

/** The engine modules bench:engine drives in-process (streams, pacer), from a bundle. */
export async function loadBundledEngine(root: string, outDir: string): Promise<EngineModule> {
  const file = await bundle(root, 'perf/engine/engineEntry.ts', path.join(outDir, 'engine.bundle.cjs'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as EngineModule;
}
