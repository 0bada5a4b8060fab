/**
 * Heading anchors, GitHub style: lower case, punctuation dropped, spaces to
 * dashes; a repeated heading gets `-1`, `-2`, … The renderer and the link
 * checker both use this, so an anchor that checks is an anchor that works.
 */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Hands out unique slugs for the headings of one page, in order. */
export class SlugAllocator {
  private readonly seen = new Map<string, number>();

  next(text: string): string {
    const base = slugify(text) || 'section';
    const n = this.seen.get(base);
    this.seen.set(base, (n ?? -1) + 1);
    return n === undefined ? base : `${base}-${n + 1}`;
  }
}
