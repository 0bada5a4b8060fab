// One build for every target:
//   dist/extension.js        the extension host bundle (node, cjs, `vscode` external)
//   dist/cli.js              the `inference-lab` CLI (node, cjs), built from src/core only
//   dist/webview/<panel>.js  one browser bundle per webview panel (+ .css when the panel has one)
//   out/test/**              (--tests) extension-host test suites for the workbench tier
// Flags: --production (minify, no source maps), --watch, --tests.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Prints build problems in the format of VS Code's $esbuild-watch problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: watch ? 'silent' : 'warning',
  plugins: watch ? [problemMatcher] : [],
  legalComments: 'none',
};

// Native add-ons that ssh2 (dockerode's SSH transport) loads inside try/catch: they
// stay external and are simply absent at runtime. ssh2 itself is bundled — the
// .vsix ships no node_modules.
const nodeExternals = ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'];

// Third-party packages the extension uses only after activation (through modules
// it loads with import()). Each goes to its own file, dist/vendor/<name>.js, which
// Node loads on the first require: the extension bundle stays small, so VS Code
// parses less when it activates the extension. Only the extension target does this.
const vendorPackages = [
  'undici',
  '@grpc/grpc-js',
  '@grpc/proto-loader',
  'dockerode',
  'yaml',
  'ajv',
  'markdown-it',
  'minisearch',
  'ws',
  'eventsource-parser',
  'hyparquet',
  '@streamparser/json',
  '@kubernetes/client-node',
];
const vendorFile = (name) => `vendor/${name.replace(/^@/, '').replace(/\//g, '-')}.js`;
const vendorPlugin = {
  name: 'vendor-split',
  setup(build) {
    const filter = new RegExp(`^(${vendorPackages.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: `./${vendorFile(args.path)}`, external: true },
    );
  },
};

const webviewEntries = fs.existsSync('webview')
  ? fs
      .readdirSync('webview', { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join('webview', d.name, 'main.ts')))
      .map((d) => ({ in: path.join('webview', d.name, 'main.ts'), out: d.name }))
  : [];

const targets = [
  {
    ...common,
    entryPoints: ['src/host/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    mainFields: ['module', 'main'],
    plugins: [...common.plugins, vendorPlugin],
  },
  {
    ...common,
    entryPoints: vendorPackages.map((p) => ({ in: p, out: vendorFile(p).replace(/\.js$/, '') })),
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    mainFields: ['main', 'module'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    banner: { js: '#!/usr/bin/env node' },
    mainFields: ['module', 'main'],
  },
  {
    // A benchmark worker thread (`--workers N`), loaded by the CLI and the extension from next to their bundle.
    ...common,
    entryPoints: ['src/core/bench/scale/threadWorker.ts'],
    outfile: 'dist/benchWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    mainFields: ['module', 'main'],
  },
  {
    // The server-metrics worker thread (scrapes off the engine's event loop), loaded from next to the bundle.
    ...common,
    entryPoints: ['src/core/bench/serverMetrics/scrapeWorker.ts'],
    outfile: 'dist/scrapeWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  },
];

if (tests) {
  const suites = [];
  (function walk(dir) {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(test|index)\.ts$/.test(e.name) || e.name === 'index.ts') suites.push(p);
    }
  })('test/workbench/suite');
  targets.push({
    ...common,
    sourcemap: 'inline',
    entryPoints: suites,
    outdir: 'out/test/workbench/suite',
    outbase: 'test/workbench/suite',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: [...nodeExternals, 'mocha'],
  });
}

/** Runtime assets: .proto files (loaded by @grpc/proto-loader) and the codicon font. */
function copyAssets() {
  const src = 'src/core/proto';
  if (fs.existsSync(src)) {
    fs.mkdirSync('dist/proto', { recursive: true });
    for (const f of fs.readdirSync(src))
      if (f.endsWith('.proto')) fs.copyFileSync(path.join(src, f), path.join('dist/proto', f));
  }
  // The benchmark spec schema (contributes.jsonValidation / yamlValidation point at it).
  fs.mkdirSync('dist/schema', { recursive: true });
  for (const f of ['spec.schema.json', 'result.schema.json']) {
    const from = path.join('src/core/bench/schema', f);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join('dist/schema', f));
  }
  // Codicons for webviews (the <link id="vscode-codicon-stylesheet"> of every panel).
  fs.mkdirSync('dist/webview', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf'])
    fs.copyFileSync(path.join('node_modules/@vscode/codicons/dist', f), path.join('dist/webview', f));
}

const t0 = Date.now();
// A production build starts from an empty dist/ so no development leftovers (source maps) ship.
if (production) fs.rmSync('dist', { recursive: true, force: true });
if (watch) {
  const ctxs = await Promise.all(targets.filter((t) => t.entryPoints.length).map((t) => esbuild.context(t)));
  copyAssets();
  await Promise.all(ctxs.map((c) => c.watch()));
} else {
  await Promise.all(targets.filter((t) => t.entryPoints.length).map((t) => esbuild.build(t)));
  copyAssets();
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
  console.log(`esbuild: ${targets.length} targets built in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
}
