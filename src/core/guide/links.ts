import { splitTopic } from './toc';

/** What a link in a guide page points to, once resolved against the page it is on. */
export type GuideLink =
  | { kind: 'page'; page: string; anchor?: string }
  | { kind: 'anchor'; anchor: string }
  | { kind: 'command'; command: string; args: unknown[] }
  | { kind: 'external'; url: string }
  | { kind: 'invalid'; reason: string };

/**
 * Classifies an href written in page `fromPage`. Relative links name other
 * pages by file (`../servers/triton.md#ports`); command links carry their
 * arguments as URL-encoded JSON, as VS Code's own command URIs do: an array is
 * spread into arguments, any other value is the single argument.
 */
export function classifyHref(href: string, fromPage: string): GuideLink {
  if (href.startsWith('#'))
    return href.length > 1
      ? { kind: 'anchor', anchor: decodeURIComponent(href.slice(1)) }
      : { kind: 'invalid', reason: 'empty anchor' };
  if (href.startsWith('command:')) return parseCommandHref(href);
  if (/^https?:\/\//i.test(href)) return { kind: 'external', url: href };
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return { kind: 'invalid', reason: `unsupported link scheme in ${href}` };
  const { page: file, anchor } = splitTopic(href);
  if (!file.endsWith('.md'))
    return { kind: 'invalid', reason: `a link to another page must name its .md file: ${href}` };
  const page = resolveRelative(fromPage, file.slice(0, -3));
  if (page === undefined) return { kind: 'invalid', reason: `link leaves the guide: ${href}` };
  return anchor ? { kind: 'page', page, anchor: decodeURIComponent(anchor) } : { kind: 'page', page };
}

/** The prefix of every command this extension registers. */
export const OWN_COMMAND_PREFIX = 'inferenceLab.';

export function parseCommandHref(href: string): GuideLink {
  const rest = href.slice('command:'.length);
  const q = rest.indexOf('?');
  const command = q < 0 ? rest : rest.slice(0, q);
  if (!/^[\w.-]+$/.test(command)) return { kind: 'invalid', reason: `bad command id in ${href}` };
  // A guide page may only run the extension's own commands: never a terminal, a file write or another extension's.
  if (!command.startsWith(OWN_COMMAND_PREFIX))
    return { kind: 'invalid', reason: `only Inference Lab's own commands can run from a guide page, not ${command}` };
  if (q < 0 || q === rest.length - 1) return { kind: 'command', command, args: [] };
  try {
    const value: unknown = JSON.parse(decodeURIComponent(rest.slice(q + 1)));
    return { kind: 'command', command, args: Array.isArray(value) ? value : [value] };
  } catch {
    return { kind: 'invalid', reason: `command arguments are not URL-encoded JSON in ${href}` };
  }
}

/** Builds a `command:` href the way VS Code expects it (arguments as encoded JSON array). */
export function commandHref(command: string, ...args: unknown[]): string {
  return args.length ? `command:${command}?${encodeURIComponent(JSON.stringify(args))}` : `command:${command}`;
}

/** Resolves `rel` (e.g. `../servers/triton`) against the folder of page `from`; undefined if it escapes the root. */
export function resolveRelative(from: string, rel: string): string | undefined {
  const parts = from.split('/').slice(0, -1);
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}
