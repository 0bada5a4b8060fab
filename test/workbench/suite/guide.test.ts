import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runCommandLink } from '../../../src/host/guide/commandLinks';
import { learnMoreUri } from '../../../src/host/guide/learnMore';
import { activateExtension, waitFor } from './util';

const guideTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Guide: '));

async function hoverText(doc: vscode.TextDocument, offset: number): Promise<string> {
  const hovers =
    (await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      doc.positionAt(offset),
    )) ?? [];
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

async function completionLabels(doc: vscode.TextDocument, offset: number): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    doc.uri,
    doc.positionAt(offset),
  );
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

describe('Guide', () => {
  before(async () => {
    await activateExtension();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the guide panel on a topic and navigates the same panel to another topic', async () => {
    await vscode.commands.executeCommand('inferenceLab.guide.open', 'servers/triton');
    await waitFor(
      () => guideTabs().some((t) => t.label === 'Guide: NVIDIA Triton Inference Server'),
      'the Triton page tab',
    );
    // A Learn-more URI is a command URI: run it the way VS Code runs a clicked command link.
    const uri = learnMoreUri('benchmarks/metrics#where-the-tools-disagree');
    assert.equal(uri.scheme, 'command');
    await vscode.commands.executeCommand(uri.path, ...(JSON.parse(uri.query) as unknown[]));
    await waitFor(
      () => guideTabs().some((t) => t.label === 'Guide: Metric definitions'),
      'the metrics page via a Learn-more URI',
    );
    assert.equal(guideTabs().length, 1);
  });

  it('falls back to the home page for an unknown topic', async () => {
    await vscode.commands.executeCommand('inferenceLab.guide.open', 'no/such-page');
    await waitFor(() => guideTabs().some((t) => t.label === 'Guide: Inference Lab guide'), 'the home page');
  });

  it('runs command links, and explains a link to a command that is not registered', async () => {
    const missing = await runCommandLink('command:inferenceLab.not.registered');
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.message : '', /not available in this version of Inference Lab/);
    const ok = await runCommandLink('command:inferenceLab.guide.open?%5B%22servers%2Fvllm%22%5D');
    assert.deepEqual(ok, { ok: true });
    await waitFor(() => guideTabs().some((t) => t.label === 'Guide: vLLM'), 'the vLLM page');
  });

  it('gives config.pbtxt files hovers, completions and checks', async () => {
    const text = 'max_batch_size: 8\ninput [ { name: "x" data_type: TYPE_FP32 dims: [ 3 ] } ]\nbogus_field: 1\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'triton-pbtxt', content: text });
    await vscode.window.showTextDocument(doc);
    assert.match(await hoverText(doc, 3), /batch dimension is implicit/);
    const labels = await completionLabels(doc, text.length);
    assert.ok(labels.includes('dynamic_batching'), labels.join(', '));
    assert.ok(labels.includes('triton-config-classifier'), 'snippets are offered in config.pbtxt');
    const diags = await waitFor(
      () =>
        vscode.languages.getDiagnostics(doc.uri).length > 0 ? vscode.languages.getDiagnostics(doc.uri) : undefined,
      'diagnostics',
    );
    assert.match(diags[0].message, /'bogus_field' is not a field of ModelConfig/);
  });

  it('explains vLLM arguments in a compose file', async () => {
    const text = 'services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: ["--max-model-len", "8192"]\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    assert.match(await hoverText(doc, text.indexOf('--max-model-len') + 3), /vLLM `--max-model-len`/);
  });

  it('opens the Getting Started walkthrough', async () => {
    await vscode.commands.executeCommand('inferenceLab.guide.openWalkthrough');
  });
});
