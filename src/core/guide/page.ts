import type MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;
import { inlineText } from './markdown';
import { SlugAllocator } from './slug';

export interface GuideHeading {
  level: number;
  text: string;
  anchor: string;
}

/** A run of page text under one heading: the unit the search index returns. */
export interface GuidePageSection {
  anchor: string;
  heading: string;
  text: string;
}

export interface GuideLinkRef {
  href: string;
  /** 1-based source line of the paragraph or cell holding the link. */
  line: number;
  /** An image source rather than a link. */
  image?: boolean;
}

export interface ParsedGuidePage {
  id: string;
  title: string;
  headings: GuideHeading[];
  sections: GuidePageSection[];
  links: GuideLinkRef[];
}

/** Reads a page's structure (title, headings with their anchors, plain text per section, links). */
export function parseGuidePage(md: MarkdownIt.MarkdownIt, id: string, markdown: string): ParsedGuidePage {
  const tokens = md.parse(markdown, {});
  const slugs = new SlugAllocator();
  const page: ParsedGuidePage = { id, title: '', headings: [], sections: [], links: [] };
  let current: GuidePageSection = { anchor: '', heading: '', text: '' };
  const flush = () => {
    if (current.text.trim() || current.heading)
      page.sections.push({ ...current, text: current.text.replace(/\s+/g, ' ').trim() });
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'heading_open') {
      const text = inlineText(tokens[i + 1]);
      const heading = { level: Number(t.tag.slice(1)), text, anchor: slugs.next(text) };
      page.headings.push(heading);
      if (heading.level === 1 && !page.title) page.title = text;
      flush();
      current = { anchor: heading.anchor, heading: text, text: '' };
      i++;
      continue;
    }
    if (t.type === 'inline') {
      current.text += ` ${inlineText(t)}`;
      collectLinks(t, page.links);
    } else if (t.type === 'fence' || t.type === 'code_block') current.text += ` ${t.content}`;
  }
  flush();
  return page;
}

function collectLinks(inline: Token, out: GuideLinkRef[]): void {
  const line = (inline.map?.[0] ?? 0) + 1;
  for (const c of inline.children ?? []) {
    if (c.type === 'link_open') out.push({ href: String(c.attrGet('href') ?? ''), line });
    else if (c.type === 'image') out.push({ href: String(c.attrGet('src') ?? ''), line, image: true });
  }
}
