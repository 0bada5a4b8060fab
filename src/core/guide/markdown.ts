import MarkdownIt from 'markdown-it';

type Markdown = MarkdownIt.MarkdownIt;
type Token = MarkdownIt.Token;
import { classifyHref } from './links';
import { SlugAllocator } from './slug';

/**
 * One markdown-it set-up for every guide page. Raw HTML is off (`html:false`
 * escapes it) and markdown-it's own link validation drops `javascript:`,
 * `vbscript:`, `file:` and non-image `data:` URLs, so the HTML it produces is
 * safe to place in the webview under its CSP. Headings get GitHub-style ids.
 */
export function createMarkdown(): Markdown {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.core.ruler.push('guide_heading_ids', (state) => {
    const slugs = new SlugAllocator();
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type === 'heading_open') tokens[i].attrSet('id', slugs.next(inlineText(tokens[i + 1])));
    }
  });
  return md;
}

/** The visible text of an inline token (text, code spans, link labels). */
export function inlineText(token: Token | undefined): string {
  if (!token?.children) return token?.content ?? '';
  return token.children
    .map((c: Token) => {
      if (c.type === 'text' || c.type === 'code_inline') return c.content;
      if (c.type === 'softbreak' || c.type === 'hardbreak') return ' ';
      return c.children ? inlineText(c) : '';
    })
    .join('');
}

export interface RenderOptions {
  /** The page being rendered: relative links resolve against it. */
  pageId: string;
  /** Maps an image path relative to media/guide (e.g. `images/x.svg`) to a URL the webview may load. */
  imageUrl?(guidePath: string): string;
}

/**
 * Renders a page to HTML. Links are annotated for the webview's click handler:
 * `data-page`/`data-anchor` for guide pages, `data-command` for commands and
 * `data-external` for web links; the href itself stays readable.
 */
export function renderGuideHtml(md: Markdown, markdown: string, opts: RenderOptions): string {
  const env = {};
  const tokens = md.parse(markdown, env);
  for (const t of tokens) if (t.children) annotate(t.children, opts);
  return md.renderer.render(tokens, md.options, env);
}

function annotate(children: Token[], opts: RenderOptions): void {
  for (const c of children) {
    if (c.type === 'link_open') {
      const href = String(c.attrGet('href') ?? '');
      const link = classifyHref(href, opts.pageId);
      if (link.kind === 'page') {
        c.attrSet('data-page', link.page);
        if (link.anchor) c.attrSet('data-anchor', link.anchor);
      } else if (link.kind === 'anchor') c.attrSet('data-anchor', link.anchor);
      else if (link.kind === 'command') c.attrSet('data-command', link.command);
      else if (link.kind === 'external') c.attrSet('data-external', 'true');
    } else if (c.type === 'image' && opts.imageUrl) {
      const src = String(c.attrGet('src') ?? '');
      if (!/^[a-z][a-z0-9+.-]*:/i.test(src)) {
        const page = classifyHref(src.endsWith('.md') ? src : `${src}.md`, opts.pageId);
        if (page.kind === 'page') c.attrSet('src', opts.imageUrl(page.page));
      }
    }
  }
}
