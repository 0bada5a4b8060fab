/**
 * Entry point of the extension-host suites (workbench tier and
 * @vscode/test-electron): VS Code require()s this module inside the extension
 * host and awaits run(). Runs every *.test.js next to it (or those named in
 * INFERENCE_LAB_SUITES, comma-separated substrings) with mocha.
 */
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { skipReasons } from './util';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const only = (process.env.INFERENCE_LAB_SUITES ?? '').split(',').filter(Boolean);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => !only.length || only.some((o) => f.includes(o)))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const pending: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // A plain closing line, alone on a line, that CI log readers understand.
      console.log(
        `extension-host: ${runner.stats?.passes ?? 0} passed, ${runner.stats?.failures ?? 0} failed, ${pending.length} pending`,
      );
      // Under CI nothing is skipped silently: a pending test fails the run, named with its reason.
      if (process.env.CI === 'true' && pending.length) {
        for (const p of pending) console.log(`PENDING (fails under CI=true): ${p}`);
        reject(new Error(`${pending.length} extension-host test(s) pending under CI=true: ${pending.join('; ')}`));
      } else if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pending', (test) => {
      const reasons = skipReasons();
      let reason: string | undefined;
      for (let t: Mocha.Runnable | Mocha.Suite | undefined = test; t && !reason; t = t.parent)
        reason = reasons.get(t.fullTitle());
      pending.push(`${test.fullTitle()} (${reason ?? 'skipped without a reason'})`);
    });
  });
}
