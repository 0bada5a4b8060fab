import { BenchGroups, ContainerPresetIds, LinkableCommandIds } from './commands';
import { classifyHref } from './links';
import type { ParsedGuidePage } from './page';
import { CommandIds } from '../../shared/ids';

export interface LinkProblem {
  page: string;
  line: number;
  href: string;
  problem: string;
}

/**
 * Checks every link of every page: guide pages and anchors must exist,
 * commands must be ones the extension registers (with arguments it accepts),
 * web links must be https. Nothing is fetched: external links are checked for
 * form only.
 */
export function checkGuideLinks(
  pages: readonly ParsedGuidePage[],
  knownCommands: readonly string[] = LinkableCommandIds,
): LinkProblem[] {
  const byId = new Map(pages.map((p) => [p.id, p]));
  const problems: LinkProblem[] = [];
  for (const p of pages) {
    for (const ref of p.links) {
      const report = (problem: string) => problems.push({ page: p.id, line: ref.line, href: ref.href, problem });
      if (ref.image) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(ref.href)) report('images must ship with the guide, not load from the web');
        continue;
      }
      const link = classifyHref(ref.href, p.id);
      switch (link.kind) {
        case 'invalid':
          report(link.reason);
          break;
        case 'anchor':
          if (!p.headings.some((h) => h.anchor === link.anchor))
            report(`no heading with anchor #${link.anchor} on this page`);
          break;
        case 'page': {
          const target = byId.get(link.page);
          if (!target) report(`no guide page ${link.page}`);
          else if (link.anchor && !target.headings.some((h) => h.anchor === link.anchor))
            report(`page ${link.page} has no heading with anchor #${link.anchor}`);
          break;
        }
        case 'command': {
          const problem = checkCommand(link.command, link.args, knownCommands);
          if (problem) report(problem);
          break;
        }
        case 'external':
          if (!link.url.startsWith('https://')) report('web links must use https');
          break;
      }
    }
  }
  return problems;
}

function checkCommand(command: string, args: unknown[], known: readonly string[]): string | undefined {
  if (!known.includes(command)) return `unknown command ${command}`;
  if (
    command === CommandIds.launchContainer &&
    args.length &&
    !(ContainerPresetIds as readonly unknown[]).includes(args[0])
  )
    return `unknown container preset ${JSON.stringify(args[0])}`;
  if (command === CommandIds.benchRun && args.length) {
    const group = (args[0] as { group?: unknown } | null)?.group;
    if (!(BenchGroups as readonly unknown[]).includes(group)) return `unknown benchmark group ${JSON.stringify(group)}`;
  }
  return undefined;
}
