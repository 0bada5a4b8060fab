/** The one model a single-model personality (TGI, TEI) serves: `options.model`, else the first of its kind. */
import type { EmbeddedContext } from '../personality';

export function servedModel<K extends 'text-generation' | 'embedding'>(
  ctx: EmbeddedContext,
  kind: K,
  personality: string,
) {
  const name = ctx.options.model;
  const m = typeof name === 'string' ? ctx.models.getOfKind(name, kind) : ctx.models.first(kind);
  if (!m)
    throw new Error(
      typeof name === 'string'
        ? `${personality}: no ${kind} model named "${name}"`
        : `${personality}: no ${kind} model configured`,
    );
  return m;
}
