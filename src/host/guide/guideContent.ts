import * as vscode from 'vscode';
import { GuideLibrary } from '../../core/guide/library';
import { GUIDE_TOC } from '../../core/guide/toc';
import type { GuideTocSectionView } from '../../shared/messages/guide';

/** The guide's pages as shipped in media/guide, read through VS Code's file system (works in the web too). */
export function extensionGuide(extensionUri: vscode.Uri): GuideLibrary {
  const decoder = new TextDecoder();
  return new GuideLibrary(async (id) => {
    const uri = vscode.Uri.joinPath(extensionUri, 'media', 'guide', `${id}.md`);
    try {
      return decoder.decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      throw new Error(`The guide page "${id}" could not be read (${e instanceof Error ? e.message : String(e)}).`);
    }
  });
}

/** The table of contents with each page's title (its first heading). */
export async function tocWithTitles(lib: GuideLibrary): Promise<GuideTocSectionView[]> {
  const titles = new Map((await lib.allParsed()).map((p) => [p.id, p.title || p.id]));
  return GUIDE_TOC.map((s) => ({
    id: s.id,
    title: s.title,
    pages: s.pages.map((id) => ({ id, title: titles.get(id) ?? id })),
  }));
}
