import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The one HTML shell for every webview: a strict CSP with a fresh nonce per
 * render, assets through asWebviewUri, no CDN, no 'unsafe-inline'.
 * `panel` names the bundle dist/webview/<panel>.js (and .css if present).
 */
export function renderWebviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  opts: { panel: string; title: string; bodyHtml?: string; hasCss?: boolean },
): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data: blob:`,
    `font-src ${webview.cspSource}`,
    `connect-src 'none'`,
  ].join('; ');
  const css = opts.hasCss ? `<link rel="stylesheet" href="${asset('dist', 'webview', `${opts.panel}.css`)}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(opts.title)}</title>
<link rel="stylesheet" href="${asset('media', 'webview.css')}">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${asset('dist', 'webview', 'codicon.css')}">
${css}
</head>
<body>
${opts.bodyHtml ?? '<main id="app" aria-busy="true">Loading…</main>'}
<script nonce="${nonce}" src="${asset('dist', 'webview', `${opts.panel}.js`)}"></script>
</body>
</html>`;
}

/** Webview options every panel shares: scripts on, resources only from dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
