/**
 * bench:activation — what activating the extension costs, outside VS Code:
 * the time to load dist/extension.js (parse + evaluate) and the time of
 * activate() itself, with a stand-in for the `vscode` module whose every API
 * answers with an inert object. The workbench tier prints the real
 * activate() time measured inside VS Code; this script adds the load time,
 * which VS Code does not hand to the extension. Target: activation under 100 ms.
 */
// Plain Node on purpose (no TypeScript loader): a loader would transform the
// 2 MB bundle on require and the figure would measure the loader.
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const bundle = path.join(root, 'dist', 'extension.js');

/** An object that answers every property read, call and `new` with another such object. */
function inert(name = 'vscode') {
  const target = function () {};
  return new Proxy(target, {
    get: (_t, k) => {
      if (k === Symbol.toPrimitive) return (hint) => (hint === 'number' ? 0 : '');
      if (k === 'then') return undefined; // not a thenable
      if (k === Symbol.iterator) return function* () {};
      return inert(`${name}.${String(k)}`);
    },
    set: () => true,
    defineProperty: () => true,
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`),
  });
}

/** The stand-in: every name @types/vscode exports, each an inert object (enums read as 0). */
function vscodeStandIn() {
  const dts = fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  const names = new Set(
    [...dts.matchAll(/^\s+export (?:enum|class|namespace|const|function|let|var) (\w+)/gm)].map((m) => m[1]),
  );
  const api = {};
  for (const n of names) api[n] = inert(n);
  api.version = '1.100.3';
  return api;
}

function main() {
  if (!fs.existsSync(bundle))
    throw new Error('dist/extension.js is missing: run `node esbuild.mjs --production` first');
  const stand = vscodeStandIn();
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stand };
  const size = fs.statSync(bundle).size;
  const t0 = performance.now();
  const ext = require(bundle);
  const loadMs = performance.now() - t0;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const context = new Proxy(
    { subscriptions: [], extension: { packageJSON: pkg }, extensionUri: inert('extensionUri') },
    {
      get: (t, k) => (k in t ? t[k] : inert(`context.${String(k)}`)),
    },
  );
  const t1 = performance.now();
  let activateMs = NaN;
  let reported = NaN;
  try {
    reported = ext.activate(context).activationMs;
    activateMs = performance.now() - t1;
  } catch (e) {
    console.log(`  activate() threw under the stand-in (${e.message}); only the load time is meaningful`);
  }
  const vendorLoaded = Object.keys(require.cache)
    .filter((k) => k.includes(`${path.sep}dist${path.sep}vendor${path.sep}`))
    .map((k) => path.basename(k));
  console.log(`bench:activation — ${path.relative(root, bundle)} (${(size / 1024 / 1024).toFixed(2)} MiB)`);
  console.log(
    `  third-party bundles (dist/vendor) loaded by activation: ${vendorLoaded.length ? vendorLoaded.join(', ') : 'none'}`,
  );
  console.log(`  load (parse + evaluate the bundle): ${loadMs.toFixed(1)} ms`);
  console.log(`  activate(): ${activateMs.toFixed(1)} ms (the extension's own measure: ${reported.toFixed(1)} ms)`);
  console.log(
    `  load + activate: ${(loadMs + activateMs).toFixed(1)} ms; target under 100 ms -> ${loadMs + activateMs < 100 ? 'met' : 'NOT met'}`,
  );
  console.log(`  (2 cores; load average ${os.loadavg()[0].toFixed(2)})`);
  process.exit(0);
}

main();
