/**
 * Benchmarks in the extension host: a quick run against the embedded vLLM
 * personality is saved with its records, listed, opened, recomputed for
 * another profile, exported; a cancelled run is kept as incomplete.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { BenchApi } from '../../../src/host/bench/registerBench';
import type { ServersApi } from '../../../src/host/servers/registerServers';
import { activateExtension, waitFor } from './util';

describe('benchmarks', function () {
  this.timeout(240_000);
  let bench: BenchApi;
  let servers: ServersApi;
  let vllm: string;

  before(async () => {
    ({
      api: { bench, servers },
    } = await activateExtension<{ bench: BenchApi; servers: ServersApi }>());
    vllm = (await servers.embedded.ensureEndpoint('vllm'))!;
  });

  it('runs a quick text-generation benchmark and saves result and raw records in the workspace', async () => {
    const id = await bench.run({ url: vllm, group: 'text-generation', preset: 'quick', name: 'ext-host quick' });
    assert.ok(id, 'a run id');
    const store = await bench.service.store();
    const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.equal(store.root, path.join(ws, '.inference-lab', 'results'));
    const meta = await store.meta(id);
    assert.equal(meta.status, 'complete', meta.incompleteReason);
    const result = JSON.parse(fs.readFileSync(store.resultPath(id), 'utf8'));
    assert.equal(result.steps.length, 2);
    assert.equal(result.steps[0].summary.counts.completed, 20);
    const lines = fs.readFileSync(store.recordsPath(id), 'utf8').trim().split('\n');
    assert.ok(lines.length >= 1 + 2 * 20, `records: ${lines.length} lines`);
    assert.ok((await bench.service.list()).some((r) => r.id === id));
  });

  it('exports CSV whose rows match the result file, and recomputes another profile from the records', async () => {
    const store = await bench.service.store();
    const [run] = (await bench.service.list()).filter((r) => r.name === 'ext-host quick');
    const uri = vscode.Uri.parse(
      (await vscode.commands.executeCommand<string>('inferenceLab.runs.export', run.id, 'csv'))!,
    );
    const csv = fs.readFileSync(uri.fsPath, 'utf8').trim().split('\n');
    assert.equal(csv.length, 3, 'header + one row per step');
    const header = csv[0].split(',');
    const col = header.findIndex((h) => h.startsWith('E2E latency p50'));
    const result = JSON.parse(fs.readFileSync(store.resultPath(run.id), 'utf8'));
    assert.equal(
      Number(csv[1].split(',')[col]),
      Math.round(result.steps[0].summary.metrics.e2el.percentiles['50'] * 1000) / 1000,
    );
    const { recomputeProfile } = await import('../../../src/core/bench/recompute.js');
    const { resultFromJson } = await import('../../../src/core/bench/result.js');
    const genai = await recomputeProfile(
      resultFromJson(fs.readFileSync(store.resultPath(run.id), 'utf8')),
      store.recordsPath(run.id),
      'genai-perf',
    );
    assert.equal(genai.profile, 'genai-perf');
    assert.equal(genai.steps[0].summary.profile, 'genai-perf');
  });

  it('a cancelled run is saved as incomplete with what it measured', async () => {
    const started = bench.run({ url: vllm, group: 'text-generation', preset: 'standard', name: 'ext-host cancelled' });
    await waitFor(
      () => bench.service.running.size === 1 && [...bench.service.running.values()][0].live.completed > 5,
      'the run to make progress',
      60_000,
    );
    await vscode.commands.executeCommand('inferenceLab.bench.cancel');
    const id = await started;
    const meta = await (await bench.service.store()).meta(id!);
    assert.equal(meta.status, 'incomplete');
    const result = await (await bench.service.store()).result(id!);
    assert.ok(result && result.incomplete);
    assert.ok(result.steps.length >= 1 && result.steps[0].summary.counts.completed > 0, 'what was measured is kept');
  });

  it('opens result and compare panels', async () => {
    const runs = await bench.service.list();
    await vscode.commands.executeCommand('inferenceLab.runs.open', runs[0].id);
    const tabs = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    await waitFor(() => tabs().some((t) => t.label.startsWith('Benchmark')), 'a results tab');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Two runs opened one after the other: the first tab is hidden before its webview ever loads, and is still named after its run.
    await vscode.commands.executeCommand('inferenceLab.runs.open', runs[0].id);
    await vscode.commands.executeCommand('inferenceLab.runs.open', runs[1].id);
    const want = [`Benchmark: ${runs[0].name}`, `Benchmark: ${runs[1].name}`].sort();
    await waitFor(
      () =>
        JSON.stringify(
          tabs()
            .map((t) => t.label)
            .sort(),
        ) === JSON.stringify(want),
      `tabs titled ${want.join(' and ')}`,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
