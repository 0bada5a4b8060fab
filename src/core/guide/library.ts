import { createMarkdown, renderGuideHtml, type RenderOptions } from './markdown';
import { parseGuidePage, type ParsedGuidePage } from './page';
import { GuideSearchIndex, type GuideSearchHit } from './search';
import { GUIDE_PAGE_IDS, isGuidePage } from './toc';

/** Reads the Markdown source of a page id (media/guide/<id>.md); throws if it cannot. */
export type GuidePageReader = (id: string) => Promise<string>;

export interface RenderedGuidePage {
  id: string;
  title: string;
  html: string;
  headings: ParsedGuidePage['headings'];
}

/**
 * The guide as data: pages read once and cached, parsed for structure,
 * rendered on demand and searched through an index built on first search.
 * Used by the guide panel (pages read through VS Code's file system) and by
 * tests (read from disk).
 */
export class GuideLibrary {
  private readonly md = createMarkdown();
  private readonly sources = new Map<string, Promise<string>>();
  private index: Promise<GuideSearchIndex> | undefined;

  constructor(private readonly read: GuidePageReader) {}

  source(id: string): Promise<string> {
    if (!isGuidePage(id)) return Promise.reject(new Error(`There is no guide page "${id}".`));
    let s = this.sources.get(id);
    if (!s) {
      s = this.read(id);
      this.sources.set(id, s);
      // A failed read is not cached: the next attempt reads again.
      s.catch(() => this.sources.delete(id));
    }
    return s;
  }

  async parsed(id: string): Promise<ParsedGuidePage> {
    return parseGuidePage(this.md, id, await this.source(id));
  }

  async allParsed(): Promise<ParsedGuidePage[]> {
    return Promise.all(GUIDE_PAGE_IDS.map((id) => this.parsed(id)));
  }

  async render(id: string, opts: Omit<RenderOptions, 'pageId'> = {}): Promise<RenderedGuidePage> {
    const markdown = await this.source(id);
    const parsed = parseGuidePage(this.md, id, markdown);
    return {
      id,
      title: parsed.title || id,
      html: renderGuideHtml(this.md, markdown, { ...opts, pageId: id }),
      headings: parsed.headings,
    };
  }

  async search(query: string, limit?: number): Promise<GuideSearchHit[]> {
    if (!this.index) {
      this.index = this.allParsed().then((pages) => new GuideSearchIndex(pages));
      this.index.catch(() => (this.index = undefined));
    }
    return (await this.index).search(query, limit);
  }
}
