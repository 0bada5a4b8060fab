import * as vscode from 'vscode';
import { CommandIds, DiagnosticIds } from '../../shared/ids';

/** Benchmark spec files: `*.bench.json`, `*.bench.yaml`, `*.bench.yml`. */
export const specSelector: vscode.DocumentSelector = [{ pattern: '**/*.bench.{json,yaml,yml}' }];
export const isSpecFile = (uri: vscode.Uri): boolean => /\.bench\.(json|ya?ml)$/i.test(uri.path);

/** "Run benchmark" above every spec file. */
export class SpecCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isSpecFile(doc.uri)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, {
        title: '$(play) Run benchmark',
        command: CommandIds.benchRunSpec,
        arguments: [doc.uri],
      }),
      new vscode.CodeLens(top, { title: 'Benchmark guide', command: CommandIds.openGuide, arguments: ['benchmarks'] }),
    ];
  }
}

/**
 * Schema problems of spec files as diagnostics (the JSON language service
 * also validates `*.bench.json` through contributes.jsonValidation; YAML needs
 * a YAML extension for that, so this check covers both).
 */
export function registerSpecDiagnostics(context: vscode.ExtensionContext): void {
  const diags = vscode.languages.createDiagnosticCollection(DiagnosticIds.benchSpec);
  const check = async (doc: vscode.TextDocument) => {
    if (!isSpecFile(doc.uri)) return;
    const { parseSpecText } = await import('../../core/bench/specFile.js');
    try {
      parseSpecText(doc.getText(), vscode.workspace.asRelativePath(doc.uri));
      diags.delete(doc.uri);
    } catch (e) {
      const lines = (e instanceof Error ? e.message : String(e)).split('\n');
      const problems = lines.length > 1 ? lines.slice(1).map((l) => l.trim()) : lines;
      diags.set(
        doc.uri,
        problems.map(
          (p) =>
            new vscode.Diagnostic(
              new vscode.Range(0, 0, 0, Math.max(1, doc.lineAt(0).text.length)),
              p,
              vscode.DiagnosticSeverity.Error,
            ),
        ),
      );
    }
  };
  context.subscriptions.push(
    diags,
    vscode.workspace.onDidOpenTextDocument((d) => void check(d)),
    vscode.workspace.onDidChangeTextDocument((e) => void check(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => diags.delete(d.uri)),
  );
  for (const d of vscode.workspace.textDocuments) void check(d);
}
