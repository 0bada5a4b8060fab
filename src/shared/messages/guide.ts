import type { ReadyMessage } from './protocol';

export interface GuideTocEntry {
  id: string;
  title: string;
}

export interface GuideTocSectionView {
  id: string;
  title: string;
  pages: GuideTocEntry[];
}

export interface GuidePageView {
  id: string;
  title: string;
  /** HTML rendered on the host by markdown-it with raw HTML disabled (safe by construction). */
  html: string;
  prev?: GuideTocEntry;
  next?: GuideTocEntry;
}

export interface GuideSearchHitView {
  page: string;
  anchor: string;
  pageTitle: string;
  heading: string;
  snippet: string;
}

export type GuideHostToWebview =
  | { type: 'toc'; sections: GuideTocSectionView[] }
  | { type: 'page'; page: GuidePageView; anchor?: string }
  | { type: 'searchResults'; query: string; hits: GuideSearchHitView[] }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string }
  | { type: 'focusSearch'; query?: string };

export type GuideWebviewToHost =
  | ReadyMessage
  | { type: 'open'; page: string; anchor?: string }
  | { type: 'search'; query: string }
  /** A `command:` link was clicked; the host parses and checks it. */
  | { type: 'runCommand'; href: string }
  | { type: 'openExternal'; url: string };

/** What the webview persists (UI state only) and the panel serializer restores from. */
export interface GuideUiState {
  page?: string;
}
