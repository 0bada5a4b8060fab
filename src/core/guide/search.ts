import MiniSearch from 'minisearch';
import type { ParsedGuidePage } from './page';

export interface GuideSearchHit {
  page: string;
  /** Heading anchor of the matching section ('' = top of the page). */
  anchor: string;
  pageTitle: string;
  heading: string;
  /** A short piece of the section's text around the first match. */
  snippet: string;
  score: number;
}

interface SectionDoc {
  id: string;
  page: string;
  anchor: string;
  pageTitle: string;
  heading: string;
  text: string;
}

/**
 * Full-text search over the guide, one document per section so a hit lands
 * on the right heading. Titles and headings weigh more than body text; the
 * last word typed matches as a prefix, and small typos are forgiven.
 */
export class GuideSearchIndex {
  private readonly index = new MiniSearch<SectionDoc>({
    fields: ['pageTitle', 'heading', 'text'],
    storeFields: ['page', 'anchor', 'pageTitle', 'heading', 'text'],
    searchOptions: {
      boost: { pageTitle: 3, heading: 2 },
      prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 2,
      fuzzy: (term) => (term.length >= 5 ? 1 : false),
    },
  });

  constructor(pages: readonly ParsedGuidePage[]) {
    const docs: SectionDoc[] = [];
    for (const p of pages) {
      p.sections.forEach((s, i) =>
        docs.push({
          id: `${p.id}#${i}`,
          page: p.id,
          anchor: s.anchor === slugOfTitle(p) ? '' : s.anchor,
          pageTitle: p.title,
          heading: s.heading,
          text: s.text,
        }),
      );
    }
    this.index.addAll(docs);
  }

  /** Best hits first; every word must match, unless that finds nothing, then any word may. */
  search(query: string, limit = 20): GuideSearchHit[] {
    const q = query.trim();
    if (!q) return [];
    let results = this.index.search(q, { combineWith: 'AND' });
    if (!results.length) results = this.index.search(q, { combineWith: 'OR' });
    return results.slice(0, limit).map((r) => ({
      page: r.page as string,
      anchor: r.anchor as string,
      pageTitle: r.pageTitle as string,
      heading: r.heading as string,
      snippet: snippetAround(r.text as string, r.terms),
      score: r.score,
    }));
  }
}

function slugOfTitle(p: ParsedGuidePage): string {
  return p.headings.find((h) => h.level === 1)?.anchor ?? '';
}

/** About `width` characters of `text` centred on the first of `terms` found. */
export function snippetAround(text: string, terms: readonly string[], width = 160): string {
  const lower = text.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  if (at < 0) at = 0;
  const start = Math.max(0, at - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
