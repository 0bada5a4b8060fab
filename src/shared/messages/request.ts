/**
 * The request panel's protocol between the extension host and its webview.
 * Data shapes (draft, result, views, history) are the pure types of
 * src/shared/request.ts, re-exported here with the messages.
 */
import type {
  CopyFormat,
  HistoryEntry,
  MetadataView,
  RequestDraft,
  RequestResult,
  RequestTarget,
  SentSummary,
  StreamMetrics,
  TemplateId,
} from '../request';
import type { ReadyMessage } from './protocol';

export type {
  ChatMessage,
  CopyFormat,
  EmbeddingSummary,
  GenerationParams,
  HistoryEntry,
  ImagePreprocess,
  LabelScore,
  MetadataView,
  RawHeader,
  RequestDraft,
  RequestResult,
  RequestTarget,
  ResponseView,
  SentSummary,
  StreamMetrics,
  TemplateId,
  TensorDraft,
  TensorTable,
  TimingBreakdown,
} from '../request';
export { API_KEY_PLACEHOLDER, maskHeaderValue, SENSITIVE_HEADER } from '../request';
export { formatBytes } from '../format';

/** A request in flight, for a webview that reloads mid-stream (hidden then shown). */
export interface RunningSnapshot {
  requestId: number;
  sent: SentSummary;
  text: string;
  metrics?: StreamMetrics;
  status?: number;
}

export interface RequestPanelInit {
  /** Identifies the panel's target; the webview keeps its own draft only for the same key. */
  key: string;
  target: RequestTarget;
  templates: Array<{ id: TemplateId; label: string }>;
  draft: RequestDraft;
  models: string[];
  metadata?: MetadataView;
  metadataError?: string;
  hasApiKey: boolean;
  history: HistoryEntry[];
  /** The saved-request file this panel edits, when it was opened from one. */
  fileName?: string;
  lastResult?: { requestId: number; sent?: SentSummary; result: RequestResult };
  running?: RunningSnapshot;
  copyFormats: CopyFormat[];
}

/** Decoded, resized RGBA pixels of an input's image (base64), made by the webview's canvas. */
export interface ImagePixels {
  width: number;
  height: number;
  rgbaBase64: string;
}

export type RequestHostToWebview =
  | { type: 'init'; init: RequestPanelInit }
  | {
      type: 'draft';
      draft: RequestDraft;
      metadata?: MetadataView;
      metadataError?: string;
      templates?: RequestPanelInit['templates'];
    }
  | { type: 'started'; requestId: number; sent: SentSummary }
  | { type: 'headers'; requestId: number; status: number; headers: Record<string, string>; ttfbMs: number }
  | { type: 'delta'; requestId: number; text: string; metrics: StreamMetrics }
  | { type: 'message'; requestId: number; direction: 'sent' | 'received'; data: string; atMs: number }
  | { type: 'result'; requestId: number; result: RequestResult; sent?: SentSummary }
  | { type: 'history'; entries: HistoryEntry[] }
  | { type: 'copied'; format: CopyFormat; text: string }
  | { type: 'imageFile'; input: string; path: string; mime: string; base64: string }
  | { type: 'filePicked'; purpose: 'body' | 'image'; input?: string; path: string }
  | { type: 'notice'; level: 'info' | 'error'; message: string };

export type RequestWebviewToHost =
  | ReadyMessage
  | { type: 'send'; draft: RequestDraft; images?: Record<string, ImagePixels> }
  | { type: 'cancel' }
  | { type: 'changeTemplate'; template: TemplateId; model: string }
  | { type: 'changeModel'; model: string; template: TemplateId }
  | { type: 'copyAs'; format: CopyFormat; draft: RequestDraft; images?: Record<string, ImagePixels> }
  | { type: 'save'; draft: RequestDraft }
  | { type: 'draftChanged'; draft: RequestDraft }
  | { type: 'clearHistory' }
  | { type: 'pickFile'; purpose: 'body' | 'image'; input?: string }
  | { type: 'readImage'; input: string; path: string };

/** UI state the webview persists (getState/setState): no data beyond the masked draft. */
export interface RequestUiState {
  key: string;
  target: RequestTarget;
  draft: RequestDraft;
  fileUri?: string;
  tab?: string;
}
