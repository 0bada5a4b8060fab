// What a .vsix may contain: the bundles in dist/, media/, snippets/ and the
// manifest files. No sources, tests, node_modules or source maps.
import { execFileSync } from 'node:child_process';

const allowed = [
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/license(\.txt)?$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/dist\/(extension|cli|benchWorker|scrapeWorker)\.js$/,
  /^extension\/dist\/vendor\/[\w.-]+\.js$/,
  /^extension\/dist\/webview\/[^/]+\.(js|css|ttf|woff2?)$/,
  /^extension\/dist\/proto\/[^/]+\.proto$/,
  /^extension\/dist\/schema\/[^/]+\.schema\.json$/,
  /^extension\/media\//,
  /^extension\/snippets\/[^/]+\.json$/,
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
];

export function listVsix(vsix) {
  return execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l && !l.endsWith('/'));
}

/** Returns a list of problems (empty when the package is right). */
export function checkVsix(vsix) {
  const files = listVsix(vsix);
  const problems = [];
  for (const f of files)
    if (!allowed.some((re) => re.test(f)) || f.endsWith('.map')) problems.push(`unexpected file ${f}`);
  // vsce stores README/CHANGELOG/LICENSE under lower-case or .txt names.
  for (const must of [
    /^extension\/package\.json$/,
    /^extension\/dist\/extension\.js$/,
    /^extension\/dist\/cli\.js$/,
    // Worker threads: the server-metrics scraper (every run) and --workers N.
    /^extension\/dist\/scrapeWorker\.js$/,
    /^extension\/dist\/benchWorker\.js$/,
    /^extension\/readme\.md$/i,
    /^extension\/license(\.txt)?$/i,
    /^extension\/changelog\.md$/i,
  ]) {
    if (!files.some((f) => must.test(f))) problems.push(`missing ${must.source}`);
  }
  if (!files.some((f) => f.startsWith('extension/dist/webview/'))) problems.push('no webview bundles');
  return problems;
}
