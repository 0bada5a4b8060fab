import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './guide.css';
import type {
  GuideHostToWebview,
  GuidePageView,
  GuideSearchHitView,
  GuideTocSectionView,
  GuideUiState,
  GuideWebviewToHost,
} from '../../src/shared/messages/guide';
import { h, WebviewMessenger } from '../common/messenger';
import { linkAction } from './links';

const app = document.getElementById('app') as HTMLElement;
const toc = h('nav', { class: 'toc', 'aria-label': 'Guide contents' });
const results = h('div', { class: 'results', role: 'list', 'aria-label': 'Search results', hidden: true });
const search = h('vscode-textfield', {
  id: 'guide-search',
  placeholder: 'Search the guide',
  'aria-label': 'Search the guide',
}) as HTMLElement & { value: string };
const notice = h('div', { class: 'notice', role: 'status', hidden: true });
const article = h('article', { class: 'page', id: 'guide-page' });
const pager = h('footer', { class: 'pager' });
let currentPage = '';
let searchTimer: ReturnType<typeof setTimeout> | undefined;

const messenger = new WebviewMessenger<GuideHostToWebview, GuideWebviewToHost, GuideUiState>((msg) => {
  switch (msg.type) {
    case 'toc':
      renderToc(msg.sections);
      break;
    case 'page':
      renderPage(msg.page, msg.anchor);
      break;
    case 'searchResults':
      if (msg.query === search.value.trim()) renderResults(msg.hits);
      break;
    case 'notice':
      showNotice(msg.level, msg.message);
      break;
    case 'focusSearch':
      if (msg.query !== undefined) search.value = msg.query;
      search.focus();
      runSearch();
      break;
  }
});

app.removeAttribute('aria-busy');
app.replaceChildren(
  h(
    'div',
    { class: 'guide' },
    h('aside', { class: 'sidebar' }, search, results, toc),
    h('main', { class: 'content' }, notice, article, pager),
  ),
);

search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 150);
});
search.addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key === 'Enter') (results.querySelector('a') as HTMLAnchorElement | null)?.click();
  if ((e as KeyboardEvent).key === 'Escape') {
    search.value = '';
    runSearch();
  }
});

function runSearch(): void {
  const query = search.value.trim();
  if (!query) {
    results.hidden = true;
    toc.hidden = false;
    return;
  }
  messenger.post({ type: 'search', query });
}

// One click handler for every link: pages, anchors, commands, web links.
document.addEventListener('click', (e) => {
  const a = (e.target as Element | null)?.closest('a');
  if (!a) return;
  e.preventDefault();
  const action = linkAction(a);
  if (action.kind === 'anchor') scrollToAnchor(action.anchor);
  else if (action.kind === 'page') messenger.post({ type: 'open', page: action.page, anchor: action.anchor });
  else if (action.kind === 'command') messenger.post({ type: 'runCommand', href: action.href });
  else if (action.kind === 'external') messenger.post({ type: 'openExternal', url: action.url });
});

function renderToc(sections: GuideTocSectionView[]): void {
  toc.replaceChildren(
    ...sections.map((s) =>
      h(
        'section',
        { class: 'toc-section' },
        h('h2', {}, s.title),
        h(
          'ul',
          {},
          ...s.pages.map((p) =>
            h(
              'li',
              {},
              h('a', { href: '#', 'data-page': p.id, class: p.id === currentPage ? 'current' : undefined }, p.title),
            ),
          ),
        ),
      ),
    ),
  );
}

function renderPage(page: GuidePageView, anchor?: string): void {
  currentPage = page.id;
  messenger.setState({ page: page.id });
  // The HTML comes from markdown-it on the host with raw HTML disabled and unsafe URLs dropped.
  const doc = new DOMParser().parseFromString(page.html, 'text/html');
  article.replaceChildren(...Array.from(doc.body.childNodes));
  article.dataset.page = page.id;
  pager.replaceChildren(
    page.prev ? h('a', { href: '#', 'data-page': page.prev.id, class: 'prev' }, `← ${page.prev.title}`) : h('span'),
    page.next ? h('a', { href: '#', 'data-page': page.next.id, class: 'next' }, `${page.next.title} →`) : h('span'),
  );
  for (const a of Array.from(toc.querySelectorAll('a[data-page]')))
    a.classList.toggle('current', (a as HTMLElement).dataset.page === page.id);
  notice.hidden = true;
  if (anchor) scrollToAnchor(anchor);
  else window.scrollTo(0, 0);
}

function renderResults(hits: GuideSearchHitView[]): void {
  toc.hidden = true;
  results.hidden = false;
  if (!hits.length) {
    results.replaceChildren(h('p', { class: 'muted' }, 'No page mentions that.'));
    return;
  }
  results.replaceChildren(
    ...hits.map((r) =>
      h(
        'a',
        { href: '#', role: 'listitem', class: 'hit', 'data-page': r.page, 'data-anchor': r.anchor || undefined },
        h(
          'span',
          { class: 'hit-title' },
          r.heading && r.heading !== r.pageTitle ? `${r.pageTitle} › ${r.heading}` : r.pageTitle,
        ),
        h('span', { class: 'hit-snippet' }, r.snippet),
      ),
    ),
  );
}

function scrollToAnchor(anchor: string): void {
  const el = document.getElementById(anchor);
  if (el) el.scrollIntoView({ block: 'start' });
  else showNotice('warning', `This page has no section "${anchor}".`);
}

function showNotice(level: 'info' | 'warning' | 'error', message: string): void {
  notice.className = `notice ${level}`;
  notice.textContent = message;
  notice.hidden = false;
}
