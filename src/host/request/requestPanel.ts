import * as vscode from 'vscode';
import { CancelledError } from '../../core/util/abort';
import { sendDraft } from '../../core/request/transport/execute';
import { historyEntry } from '../../core/request/history';
import type {
  CopyFormat,
  RequestDraft,
  RequestResult,
  RequestTarget,
  SentSummary,
  TemplateId,
} from '../../shared/request';
import type {
  ImagePixels,
  RequestHostToWebview,
  RequestPanelInit,
  RequestWebviewToHost,
} from '../../shared/messages/request';
import { PanelMessenger } from '../panels/panelMessenger';
import { renderWebviewHtml, webviewOptions } from '../panels/webviewHtml';
import { copyRequest, copyFormats } from './copyRequest';
import { DeltaBuffer } from '../../core/request/transport/deltaBuffer';
import { draftFor, loadMetadata } from '../../core/request/drafts';
import { modelTarget } from '../../core/request/requestServers';
import { apiKeyFor, decodeImages, readDraftFile, type PanelContext } from './panelContext';
import { pickFile, readImageFile } from './pickFiles';
import { saveDraft, type BoundFile } from './savedFiles';
import { PanelTypes } from '../../shared/ids';
import { maskHeaderValue } from '../../shared/request';
import { rememberSecret } from '../platform/logger';

export const REQUEST_VIEW_TYPE = PanelTypes.request;

interface Running {
  id: number;
  ctrl: AbortController;
  sent?: SentSummary;
  text: string;
  status?: number;
}

/**
 * One request panel: a server (and model), a draft, the request in flight
 * and the last result. It lives in a standalone webview panel or in the
 * custom editor of a saved-request file (`file`).
 */
export class RequestPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messenger: PanelMessenger<RequestHostToWebview, RequestWebviewToHost>;
  private running: Running | undefined;
  private last: RequestPanelInit['lastResult'];
  private seq = 0;
  private disposed = false;
  private readonly onDisposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: PanelContext,
    private target: RequestTarget,
    private draft: RequestDraft | undefined,
    readonly key: string,
    private readonly file?: BoundFile,
  ) {
    panel.webview.options = webviewOptions(ctx.context.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(ctx.context.extensionUri, 'media', 'icon.svg');
    if (!file) panel.title = panelTitle(target);
    panel.webview.html = renderWebviewHtml(panel.webview, ctx.context.extensionUri, {
      panel: 'request',
      title: panel.title,
      hasCss: true,
    });
    this.messenger = new PanelMessenger(
      panel.webview,
      { onReady: () => void this.sendInit(), onMessage: (m) => this.onMessage(m) },
      (e) => this.fail(e),
    );
    this.disposables.push(
      this.messenger,
      panel.onDidDispose(() => this.dispose()),
      ctx.history.onDidChange((id, entries) => id === this.target.serverId && this.post({ type: 'history', entries })),
    );
    if (file) {
      this.disposables.push(
        file.onDidChangeExternally((s) => {
          this.target = s.target;
          this.draft = s.draft;
          void this.sendInit();
        }),
      );
    }
  }

  reveal(): void {
    this.panel.reveal();
  }

  private async sendInit(): Promise<void> {
    const servers = await this.ctx.servers().catch(() => undefined);
    const server = servers?.find(this.target.serverId);
    const { metadata, metadataError } = await loadMetadata(
      servers,
      server?.key,
      this.target,
      await apiKeyFor(this.ctx, this.target),
    );
    const models = server?.models.length ? server.models : this.target.model ? [this.target.model] : [];
    const { draft, templates } = draftFor(this.target, this.draft, metadata);
    this.draft = draft;
    const running = this.running && {
      requestId: this.running.id,
      sent: this.running.sent ?? { transport: 'http' as const, method: '', url: '', headers: {} },
      text: this.running.text,
      status: this.running.status,
    };
    this.post({
      type: 'init',
      init: {
        key: this.key,
        target: this.target,
        templates,
        draft,
        models,
        metadata,
        metadataError,
        hasApiKey: !!(await apiKeyFor(this.ctx, this.target)),
        history: this.ctx.history.list(this.target.serverId),
        fileName: this.file?.name,
        lastResult: this.last,
        running,
        copyFormats: copyFormats(draft),
      },
    });
  }

  private async onMessage(m: RequestWebviewToHost): Promise<void> {
    switch (m.type) {
      case 'send':
        await this.run(m.draft, m.images);
        return;
      case 'cancel':
        return this.cancel();
      case 'changeTemplate':
      case 'changeModel':
        return this.changeDraft(m.template, m.model);
      case 'draftChanged':
        this.draft = m.draft;
        return;
      case 'copyAs':
        await this.copy(m.format, m.draft, m.images);
        return;
      case 'save':
        this.draft = m.draft;
        return this.notice(await saveDraft(this.ctx, this.target, m.draft, this.file));
      case 'clearHistory':
        return this.ctx.history.clear(this.target.serverId);
      case 'pickFile': {
        const picked = await pickFile(m.purpose);
        if (picked) this.post({ type: 'filePicked', purpose: m.purpose, input: m.input, path: picked });
        return;
      }
      case 'readImage':
        return this.post({ type: 'imageFile', input: m.input, path: m.path, ...(await readImageFile(m.path)) });
      case 'ready':
        return;
    }
  }

  private async changeDraft(template: TemplateId, model: string): Promise<void> {
    const servers = await this.ctx.servers().catch(() => undefined);
    const server = servers?.find(this.target.serverId);
    // On a tree server the model's own route (a Ray Serve application's prefix) comes with it.
    this.target = server && model ? modelTarget(server, model) : { ...this.target, model: model || undefined };
    const { metadata, metadataError } = await loadMetadata(
      servers,
      server?.key,
      this.target,
      await apiKeyFor(this.ctx, this.target),
    );
    const { draft, templates } = draftFor(this.target, { template, model } as RequestDraft, metadata, true);
    this.draft = draft;
    if (!this.file) this.panel.title = panelTitle(this.target);
    this.post({ type: 'draft', draft, metadata, metadataError, templates });
  }

  /** Sends a draft as the Send button does (also the entry point of extension-host tests); resolves with the result shown. */
  async run(draft: RequestDraft, images?: Record<string, ImagePixels>): Promise<RequestResult> {
    this.running?.ctrl.abort(new CancelledError());
    const id = ++this.seq;
    const run: Running = { id, ctrl: new AbortController(), text: '' };
    this.running = run;
    this.draft = draft;
    const target = { ...this.target, model: draft.model || this.target.model };
    const apiKey = await apiKeyFor(this.ctx, target);
    // Keys typed into credential headers are masked in every log line from now on, like stored keys.
    for (const h of draft.headers ?? [])
      if (maskHeaderValue(h.name, h.value) !== h.value) rememberSecret(h.value.replace(/^\S+\s+(?=\S)/, ''));
    const deltas = new DeltaBuffer((text, metrics) => this.post({ type: 'delta', requestId: id, text, metrics }));
    let result: RequestResult;
    let sent: SentSummary | undefined;
    try {
      const outcome = await sendDraft(
        draft,
        target,
        { hasApiKey: !!apiKey, readFile: readDraftFile, images: decodeImages(images) },
        {
          apiKey,
          signal: run.ctrl.signal,
          ...requestTimeouts(),
          onBuilt: (s) => {
            run.sent = s;
            this.post({ type: 'started', requestId: id, sent: s });
          },
          onEvent: (e) => {
            if (e.type === 'delta') {
              run.text += e.text;
              deltas.push(e.text, e.metrics);
            } else if (e.type === 'headers') {
              run.status = e.status;
              this.post({ type: 'headers', requestId: id, status: e.status, headers: e.headers, ttfbMs: e.ttfbMs });
            } else this.post({ type: 'message', requestId: id, direction: e.direction, data: e.data, atMs: e.atMs });
          },
        },
      );
      result = outcome.result;
      sent = outcome.sent;
    } catch (e) {
      result = {
        ok: false,
        headers: {},
        sizeBytes: 0,
        timing: { totalMs: 0 },
        views: [],
        error: { kind: 'invalid-request', message: e instanceof Error ? e.message : String(e) },
      };
    }
    deltas.flush();
    if (this.running === run) this.running = undefined;
    this.last = { requestId: id, sent, result };
    this.post({ type: 'result', requestId: id, result, sent });
    this.ctx.log.debug(
      `request ${sent?.method ?? draft.template} ${sent?.url ?? ''} → ${result.status ?? result.error?.kind ?? ''} in ${result.timing.totalMs} ms${result.error ? `: ${result.error.message}` : ''}`,
    );
    await this.ctx.history.add(target.serverId, historyEntry(target, draft, result, apiKey));
    return result;
  }

  /** "Copy as …": the command goes to the clipboard and to the panel's "Last copied" box. */
  async copy(format: CopyFormat, draft: RequestDraft, images?: Record<string, ImagePixels>): Promise<string> {
    const text = await copyRequest(this.ctx, this.target, draft, format, decodeImages(images));
    await vscode.env.clipboard.writeText(text);
    this.post({ type: 'copied', format, text });
    return text;
  }

  /** Cancels the request in flight, if any (the Cancel button). */
  cancel(): void {
    this.running?.ctrl.abort(new CancelledError());
  }

  /** The panel's current target and draft (as last sent or edited). */
  get state(): { target: RequestTarget; draft: RequestDraft | undefined } {
    return { target: this.target, draft: this.draft };
  }

  /** Posts unless the panel was closed (a request may finish after that). */
  private post(msg: RequestHostToWebview): void {
    if (!this.disposed) this.messenger.post(msg);
  }

  private notice(message: string, level: 'info' | 'error' = 'info'): void {
    this.post({ type: 'notice', level, message });
  }

  private fail(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.ctx.log.error(`Request panel: ${message}`);
    this.notice(message, 'error');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.running?.ctrl.abort(new CancelledError());
    this.panel.dispose();
    this.onDisposed.fire();
    this.onDisposed.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

export function panelTitle(t: RequestTarget): string {
  return `Request: ${t.model ? `${t.model} @ ` : ''}${t.serverName}`;
}

/** The request timeout setting: the limit for the answer to start and for any silence after it. */
function requestTimeouts(): { firstByteTimeoutMs: number; idleTimeoutMs: number } {
  const s = vscode.workspace.getConfiguration('inferenceLab').get<number>('request.timeoutSeconds', 60);
  const ms = Math.max(1, Number.isFinite(s) ? s : 60) * 1000;
  return { firstByteTimeoutMs: ms, idleTimeoutMs: ms };
}
