/** What a click on a link in the guide should do, from the data attributes the host's renderer set. */
export type LinkAction =
  | { kind: 'page'; page: string; anchor?: string }
  | { kind: 'anchor'; anchor: string }
  | { kind: 'command'; href: string }
  | { kind: 'external'; url: string }
  | { kind: 'none' };

export function linkAction(a: HTMLAnchorElement): LinkAction {
  const { page, anchor, command, external } = a.dataset;
  const href = a.getAttribute('href') ?? '';
  if (page) return anchor ? { kind: 'page', page, anchor } : { kind: 'page', page };
  if (anchor) return { kind: 'anchor', anchor };
  if (command) return { kind: 'command', href };
  if (external) return { kind: 'external', url: href };
  return { kind: 'none' };
}
