import type { MetadataView, RequestDraft, RequestTarget } from '../../shared/request';
import { tritonConfigFacts, withDecoupled, withoutOptionalInputs } from './build/optionalInputs';
import { defaultDraft, defaultTemplate, templateLabels, templatesFor } from './build/templates';
import type { ModelMetadata } from '../servers/types';
import type { RequestPanelInit } from '../../shared/messages/request';
import type { RequestServers } from './requestServers';

/** A model's metadata for templates and the panel, or why it could not be read (the panel works without it). */
export async function loadMetadata(
  servers: RequestServers | undefined,
  key: string | undefined,
  target: RequestTarget,
  apiKey?: string,
): Promise<{ metadata?: MetadataView; metadataError?: string }> {
  if (!servers || !key || !target.model) return {};
  try {
    let raw = await servers.metadata(key, target.model);
    if (target.kind === 'triton') {
      const facts = await tritonConfigFacts(target.baseUrl, target.model, {
        apiKey,
        allowSelfSigned: target.allowSelfSigned,
      });
      raw = withDecoupled(withoutOptionalInputs(raw, facts.optional), facts.decoupled);
    }
    return {
      metadata: { inputs: raw.inputs, outputs: raw.outputs, platform: raw.platform, properties: raw.properties },
    };
  } catch (e) {
    return { metadataError: `Model metadata is not available: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function asMetadata(m: MetadataView | undefined, name: string | undefined): ModelMetadata | undefined {
  return m
    ? { name: name ?? '', inputs: m.inputs, outputs: m.outputs, platform: m.platform, properties: m.properties }
    : undefined;
}

/**
 * The draft a panel shows: the given one when it is complete (restored,
 * saved, from history), else the default of its template (or of the
 * target's best template) filled from the metadata. `fresh` forces the
 * default of the given template (the user switched template or model).
 */
export function draftFor(
  target: RequestTarget,
  given: RequestDraft | undefined,
  metadata: MetadataView | undefined,
  fresh = false,
): { draft: RequestDraft; templates: RequestPanelInit['templates'] } {
  const templates = templatesFor(target).map((id) => ({ id, label: templateLabels[id] }));
  const meta = asMetadata(metadata, target.model);
  if (given && !fresh) {
    if (!templates.some((t) => t.id === given.template))
      templates.push({ id: given.template, label: templateLabels[given.template] ?? given.template });
    return { draft: given, templates };
  }
  const template =
    given?.template && templates.some((t) => t.id === given.template) ? given.template : defaultTemplate(target, meta);
  return { draft: defaultDraft(template, target, meta), templates };
}
