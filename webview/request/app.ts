/**
 * The request panel's page controller: renders the form for the draft, sends
 * and cancels, streams text and metrics into the response area, and keeps
 * the UI state (masked draft, chosen tab) across reloads. Every failure ends
 * as a message on the page; the form stays usable.
 */
import { h, type WebviewMessenger } from '../common/messenger';
import type {
  CopyFormat,
  HistoryEntry,
  ImagePixels,
  RequestDraft,
  RequestHostToWebview,
  RequestPanelInit,
  RequestUiState,
  RequestWebviewToHost,
  SentSummary,
  TemplateId,
} from '../../src/shared/messages/request';
import { draftFromEntries } from './formData';
import { renderForm } from './formView';
import { historySection } from './historyView';
import { ImageCache, imagePixels } from './images';
import { maskDraftForState } from './mask';
import { copyButtons, header, toolbar, type PageHandlers } from './page';
import { metricsStrip, resultArea, startedArea } from './responseView';

type Messenger = WebviewMessenger<RequestHostToWebview, RequestWebviewToHost, RequestUiState>;

export class RequestApp implements PageHandlers {
  private init: RequestPanelInit | undefined;
  private draft: RequestDraft | undefined;
  private running: number | undefined;
  private sent: SentSummary | undefined;
  private readonly images = new ImageCache();
  private readonly pendingImages = new Map<string, { resolve(px: ImagePixels): void; reject(e: Error): void }>();
  private persistTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly messenger: Messenger,
  ) {}

  onMessage(msg: RequestHostToWebview): void {
    try {
      this.handle(msg);
    } catch (e) {
      this.notice(e instanceof Error ? e.message : String(e), 'error');
    }
  }

  private handle(msg: RequestHostToWebview): void {
    switch (msg.type) {
      case 'init':
        return this.start(msg.init);
      case 'draft':
        if (!this.init) return;
        this.init = {
          ...this.init,
          metadata: msg.metadata,
          metadataError: msg.metadataError,
          templates: msg.templates ?? this.init.templates,
        };
        return this.setDraft(msg.draft, true);
      case 'started':
        this.running = msg.requestId;
        this.sent = msg.sent;
        this.area().replaceChildren(startedArea(msg.sent));
        return this.setRunning(true);
      case 'headers':
        if (msg.requestId === this.running)
          this.byId('status-text').textContent = `HTTP ${msg.status} after ${Math.round(msg.ttfbMs)} ms · receiving…`;
        return;
      case 'delta':
        if (msg.requestId !== this.running) return;
        this.byId('answer').append(msg.text);
        this.byId('metrics').replaceWith(metricsStrip(msg.metrics));
        return;
      case 'message':
        return;
      case 'result':
        if (msg.requestId === this.running || this.running === undefined) {
          this.running = undefined;
          this.area().replaceChildren(resultArea(msg.result, msg.sent ?? this.sent, this.messenger.state?.tab));
          this.watchTabs();
          this.setRunning(false);
        }
        return;
      case 'history':
        return this.renderHistory(msg.entries);
      case 'copied':
        this.byId('copied').textContent = msg.text;
        (this.byId('copied-box') as HTMLDetailsElement).open = true;
        return this.notice(
          `Copied as ${msg.format}${msg.text.includes('INFERENCE_LAB_API_KEY') ? ' (the API key is read from $INFERENCE_LAB_API_KEY)' : ''}`,
        );
      case 'imageFile':
        return void this.decodeImage(msg.input, msg.base64, msg.mime);
      case 'filePicked':
        return this.filePicked(msg.purpose, msg.path, msg.input);
      case 'notice':
        if (msg.level === 'error') this.failPendingImages(msg.message);
        return this.notice(msg.message, msg.level);
    }
  }

  private start(init: RequestPanelInit): void {
    this.init = init;
    const saved = this.messenger.state;
    const draft = saved?.key === init.key && saved.draft ? saved.draft : init.draft;
    this.root.removeAttribute('aria-busy');
    this.root.replaceChildren(
      h('div', { id: 'header-host' }),
      h('div', { id: 'form-host' }),
      h('div', { id: 'form-errors', class: 'error', role: 'alert' }),
      toolbar(init, this),
      h('div', { id: 'notice', role: 'status' }),
      h('div', { id: 'response-host' }),
      h(
        'details',
        { id: 'copied-box' },
        h('summary', {}, 'Last copied command'),
        h('pre', { id: 'copied', class: 'raw' }),
      ),
      h('div', { id: 'history-host' }),
    );
    this.setDraft(draft, false);
    this.renderHistory(init.history);
    if (init.running) {
      this.running = init.running.requestId;
      this.sent = init.running.sent;
      this.area().replaceChildren(startedArea(init.running.sent));
      this.byId('answer').append(init.running.text);
    } else if (init.lastResult) {
      this.area().replaceChildren(resultArea(init.lastResult.result, init.lastResult.sent, saved?.tab));
      this.watchTabs();
    }
    this.setRunning(!!init.running);
  }

  private setDraft(draft: RequestDraft, announce: boolean): void {
    if (!this.init) return;
    this.draft = draft;
    this.byId('header-host').replaceChildren(header(this.init, draft, this));
    this.renderForm();
    this.byId('copy-buttons').replaceWith(copyButtons(this.copyFormats(draft), this));
    this.persist(announce);
  }

  private copyFormats(d: RequestDraft): CopyFormat[] {
    if (d.template === 'websocket') return ['python', 'typescript'];
    if (d.template === 'kserve-infer' && d.kserveTransport && d.kserveTransport !== 'rest')
      return ['grpcurl', 'python', 'typescript'];
    return ['curl', 'python', 'typescript'];
  }

  private renderForm(): void {
    if (!this.draft) return;
    const form = renderForm(this.draft, {
      update: (mutate) => {
        const d = this.readDraft().draft;
        mutate(d);
        this.setDraft(d, true);
      },
      pickFile: (purpose, input) => this.messenger.post({ type: 'pickFile', purpose, input }),
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
    // Structural choices (transport, body mode, stream) change which fields exist.
    form.addEventListener('change', (e) => {
      const name = (e.target as HTMLElement).getAttribute?.('name') ?? '';
      if (/^(kserveTransport|bodyMode)$/.test(name)) this.setDraft(this.readDraft().draft, true);
      else this.persist(true);
    });
    form.addEventListener('input', () => this.persist(true));
    this.byId('form-host').replaceChildren(form);
  }

  /** The draft as the form holds it now. */
  private readDraft(): { draft: RequestDraft; errors: string[] } {
    const base = this.draft ?? { template: 'raw' as TemplateId, model: '' };
    const form = this.root.querySelector('#request-form') as HTMLFormElement | null;
    if (!form) return { draft: base, errors: [] };
    const entries = [...new FormData(form).entries()].map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : v.name,
    ]);
    const r = draftFromEntries({ template: base.template, model: base.model }, entries);
    if (base.template === 'websocket' && !r.draft.path) r.draft.path = base.path;
    return r;
  }

  private persist(announce: boolean): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => {
      if (!this.init) return;
      const draft = this.root.querySelector('#request-form') ? this.readDraft().draft : this.draft;
      if (!draft) return;
      this.draft = draft;
      const masked = maskDraftForState(draft);
      this.messenger.setState({ key: this.init.key, target: this.init.target, draft: masked });
      if (announce) this.messenger.post({ type: 'draftChanged', draft: masked });
    }, 250);
  }

  send(): void {
    void this.sendAsync().catch((e: unknown) => this.notice(e instanceof Error ? e.message : String(e), 'error'));
  }

  private async sendAsync(): Promise<void> {
    const { draft, errors } = this.readDraft();
    this.byId('form-errors').replaceChildren(...errors.map((e) => h('div', {}, e)));
    if (errors.length) return;
    this.draft = draft;
    this.notice('');
    this.setRunning(true);
    try {
      const images = await this.imagesFor(draft);
      this.messenger.post({ type: 'send', draft, images });
    } catch (e) {
      this.setRunning(false);
      throw e;
    }
  }

  cancel(): void {
    this.messenger.post({ type: 'cancel' });
  }

  save(): void {
    const { draft, errors } = this.readDraft();
    if (errors.length) return this.notice(errors.join('; '), 'error');
    this.messenger.post({ type: 'save', draft });
  }

  copy(format: CopyFormat): void {
    const { draft, errors } = this.readDraft();
    if (errors.length) return this.notice(errors.join('; '), 'error');
    void this.imagesFor(draft)
      .then((images) => this.messenger.post({ type: 'copyAs', format, draft, images }))
      .catch((e: unknown) => this.notice(e instanceof Error ? e.message : String(e), 'error'));
  }

  changeModel(model: string): void {
    if (this.draft && model !== this.draft.model)
      this.messenger.post({ type: 'changeModel', model, template: this.draft.template });
  }

  changeTemplate(template: string): void {
    if (this.draft && template !== this.draft.template)
      this.messenger.post({
        type: 'changeTemplate',
        template: template as TemplateId,
        model: this.readDraft().draft.model,
      });
  }

  private loadHistory(e: HistoryEntry): void {
    this.setDraft(e.draft, true);
    this.notice(`Loaded the request of ${new Date(e.at).toLocaleString()}`);
  }

  private renderHistory(entries: HistoryEntry[]): void {
    this.byId('history-host').replaceChildren(
      historySection(
        entries,
        (e) => this.loadHistory(e),
        () => this.messenger.post({ type: 'clearHistory' }),
      ),
    );
  }

  private filePicked(purpose: 'body' | 'image', path: string, input?: string): void {
    const d = this.readDraft().draft;
    if (purpose === 'body') d.filePath = path;
    else {
      const t = d.tensors?.find((x) => x.name === input);
      if (t?.image) t.image.path = path;
    }
    this.setDraft(d, true);
  }

  /** Pixels of every image input, decoded once per file and size. */
  private async imagesFor(d: RequestDraft): Promise<Record<string, ImagePixels> | undefined> {
    const inputs = (d.tensors ?? []).filter((t) => t.image?.path);
    if (!inputs.length || d.template !== 'kserve-infer') return undefined;
    const out: Record<string, ImagePixels> = {};
    for (const t of inputs) {
      const p = t.image!;
      out[t.name] =
        this.images.get(p) ??
        (await new Promise<ImagePixels>((resolve, reject) => {
          this.pendingImages.set(t.name, { resolve, reject });
          this.messenger.post({ type: 'readImage', input: t.name, path: p.path });
        }));
    }
    return out;
  }

  private async decodeImage(input: string, base64: string, mime: string): Promise<void> {
    const waiter = this.pendingImages.get(input);
    this.pendingImages.delete(input);
    const p = this.readDraft().draft.tensors?.find((t) => t.name === input)?.image;
    if (!waiter || !p) return;
    try {
      const px = await imagePixels(base64, mime, p);
      this.images.set(p, px);
      waiter.resolve(px);
    } catch (e) {
      waiter.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private failPendingImages(message: string): void {
    for (const w of this.pendingImages.values()) w.reject(new Error(message));
    this.pendingImages.clear();
  }

  private watchTabs(): void {
    const tabs = this.root.querySelector('#response-tabs');
    tabs?.addEventListener('vsc-tabs-select', (e) => {
      const i = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      const id = (tabs.querySelectorAll('vscode-tab-header')[i] as HTMLElement | undefined)?.dataset.tab;
      if (id) this.messenger.setState({ tab: id });
    });
  }

  private setRunning(running: boolean): void {
    this.root.querySelector('#send')?.toggleAttribute('disabled', running);
    this.root.querySelector('#cancel')?.toggleAttribute('disabled', !running);
    this.root.querySelector('#response')?.setAttribute('aria-busy', String(running));
  }

  private notice(message: string, level: 'info' | 'error' = 'info'): void {
    const n = this.root.querySelector('#notice');
    if (!n) return;
    n.className = level === 'error' ? 'notice error' : 'notice';
    n.setAttribute('role', level === 'error' ? 'alert' : 'status');
    n.textContent = message;
  }

  private area(): HTMLElement {
    return this.byId('response-host');
  }

  private byId(id: string): HTMLElement {
    const el = this.root.querySelector(`#${id}`) as HTMLElement | null;
    if (!el) throw new Error(`The page has no #${id}`);
    return el;
  }
}
