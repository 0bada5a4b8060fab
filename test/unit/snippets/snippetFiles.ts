import fs from 'node:fs';
import path from 'node:path';
import { expandSnippet } from './expand';

export const root = path.resolve(__dirname, '..', '..', '..');

export interface SnippetDef {
  prefix: string;
  description: string;
  body: string[];
}

/** Reads one file of snippets/ (VS Code snippet JSON). */
export function readSnippets(file: string): SnippetDef[] {
  return Object.values(
    JSON.parse(fs.readFileSync(path.join(root, 'snippets', file), 'utf8')) as Record<string, SnippetDef>,
  );
}

/** The document a snippet produces when every default is accepted. */
export function expanded(s: SnippetDef): string {
  return expandSnippet(s.body.join('\n'));
}

/** The snippets contributed in package.json: language → files. */
export function contributedSnippets(): Array<{ language: string; path: string }> {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { snippets: Array<{ language: string; path: string }> };
  };
  return pkg.contributes.snippets;
}
