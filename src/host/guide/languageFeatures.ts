import * as vscode from 'vscode';
import { completePbtxt, hoverPbtxt } from '../../core/guide/pbtxt/assist';
import { PbtxtSyntaxError } from '../../core/guide/pbtxt/lexer';
import { parsePbtxt } from '../../core/guide/pbtxt/parser';
import { validateModelConfig } from '../../core/guide/pbtxt/validate';
import { launchArgHover, launchArgMarkdown } from '../../core/guide/launchArgs';

export const PBTXT_LANGUAGE = 'triton-pbtxt';
/** Documents where vLLM / TGI launch arguments get hovers: compose files, Kubernetes YAML, shell scripts. */
const LAUNCH_ARG_SELECTOR: vscode.DocumentSelector = ['yaml', 'dockercompose', 'shellscript'].map((language) => ({
  language,
}));

/** Hovers, completions and checks for config.pbtxt; hovers for launch arguments in YAML. */
export function registerGuideLanguageFeatures(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection(PBTXT_LANGUAGE);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const check = (doc: vscode.TextDocument) => {
    if (doc.languageId !== PBTXT_LANGUAGE) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        diagnostics.set(doc.uri, pbtxtDiagnostics(doc));
      }, 300),
    );
  };
  context.subscriptions.push(
    diagnostics,
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.languages.registerHoverProvider(PBTXT_LANGUAGE, {
      provideHover(doc, pos) {
        const h = hoverPbtxt(doc.getText(), doc.offsetAt(pos));
        return (
          h &&
          new vscode.Hover(
            new vscode.MarkdownString(h.markdown),
            new vscode.Range(doc.positionAt(h.start), doc.positionAt(h.end)),
          )
        );
      },
    }),
    vscode.languages.registerCompletionItemProvider(
      PBTXT_LANGUAGE,
      {
        provideCompletionItems(doc, pos) {
          const { items, start, end } = completePbtxt(doc.getText(), doc.offsetAt(pos));
          const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
          return items.map((i) => {
            const kind =
              i.kind === 'field'
                ? vscode.CompletionItemKind.Field
                : i.kind === 'enum'
                  ? vscode.CompletionItemKind.EnumMember
                  : vscode.CompletionItemKind.Value;
            const item = new vscode.CompletionItem({ label: i.label, description: i.detail }, kind);
            item.insertText = new vscode.SnippetString(i.insertText);
            item.documentation = new vscode.MarkdownString(i.doc);
            item.sortText = i.sortText;
            item.range = range;
            return item;
          });
        },
      },
      ':',
      ' ',
    ),
    vscode.languages.registerHoverProvider(LAUNCH_ARG_SELECTOR, {
      provideHover(doc, pos) {
        const h = launchArgHover(doc.getText(), doc.offsetAt(pos));
        return (
          h &&
          new vscode.Hover(
            new vscode.MarkdownString(launchArgMarkdown(h)),
            new vscode.Range(doc.positionAt(h.start), doc.positionAt(h.end)),
          )
        );
      },
    }),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.delete(doc.uri)),
  );
  vscode.workspace.textDocuments.forEach(check);
}

/** Syntax and schema problems of a config.pbtxt as diagnostics. */
export function pbtxtDiagnostics(doc: vscode.TextDocument): vscode.Diagnostic[] {
  const text = doc.getText();
  const range = (start: number, end: number) =>
    new vscode.Range(doc.positionAt(start), doc.positionAt(Math.max(end, start + 1)));
  try {
    return validateModelConfig(parsePbtxt(text)).map((p) =>
      withSource(new vscode.Diagnostic(range(p.start, p.end), p.message, vscode.DiagnosticSeverity.Warning)),
    );
  } catch (e) {
    if (e instanceof PbtxtSyntaxError)
      return [
        withSource(
          new vscode.Diagnostic(
            range(e.offset, e.offset + 1),
            e.message.replace(/^line \d+, column \d+: /, ''),
            vscode.DiagnosticSeverity.Error,
          ),
        ),
      ];
    throw e;
  }
}

function withSource(d: vscode.Diagnostic): vscode.Diagnostic {
  d.source = 'Inference Lab';
  return d;
}
