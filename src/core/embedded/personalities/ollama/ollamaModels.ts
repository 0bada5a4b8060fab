/**
 * Ollama's model views: `/api/tags` (every text and embedding model),
 * `/api/ps` (models used within their keep-alive), `/api/show`, plus name
 * resolution (`name` = `name:latest`) and keep-alive bookkeeping.
 */
import { createHash } from 'node:crypto';
import type { SimulatedModel } from '../../models/registry';
import type { EmbeddedContext } from '../../personality';
import { RequestError } from '../../requestError';
import { ollamaName, rfc3339Nano } from './ollamaWire';

type LlmModel = Exclude<SimulatedModel, { kind: 'image-classification' }>;

const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;

/** `keep_alive` as Ollama reads it: a Go duration ("5m", "30s", "1h") or a number of seconds; negative = forever. */
export function keepAliveMs(v: unknown): number {
  if (typeof v === 'number') return v < 0 ? Infinity : v * 1000;
  if (typeof v !== 'string' || !v) return DEFAULT_KEEP_ALIVE_MS;
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new RequestError('validation', `time: invalid duration "${v}"`);
  const n = Number(m[1]);
  if (n < 0) return Infinity;
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
}

export class OllamaModels {
  /** Model name → epoch ms when it unloads. */
  private readonly loadedUntil = new Map<string, number>();
  constructor(private readonly ctx: EmbeddedContext) {}

  list(): LlmModel[] {
    return this.ctx.models.list().filter((m): m is LlmModel => m.kind !== 'image-classification');
  }

  /** The model a request names, or a 404 `model 'x' not found` (400 when the name is missing). */
  resolve(name: unknown): LlmModel {
    if (typeof name !== 'string' || !name) throw new RequestError('validation', 'model is required');
    const want = name.includes(':') ? name : `${name}:latest`;
    const m = this.list().find((x) => ollamaName(x) === want);
    if (!m) throw new RequestError('model-not-found', `model '${name}' not found`);
    return m;
  }

  /** Marks a model used now; `keepAlive` 0 unloads it. */
  touch(m: LlmModel, keepAlive: unknown): void {
    const ms = keepAliveMs(keepAlive);
    if (ms === 0) this.loadedUntil.delete(m.name);
    else this.loadedUntil.set(m.name, this.ctx.clock.epochMs() + ms);
  }

  private details(m: LlmModel) {
    return {
      parent_model: '',
      format: 'gguf',
      family: 'simulated',
      families: ['simulated'],
      parameter_size: m.kind === 'embedding' ? '23M' : '110M',
      quantization_level: 'F32',
    };
  }

  private size(m: LlmModel): number {
    return m.kind === 'embedding' ? 45_000_000 : 440_000_000;
  }

  private digest(m: LlmModel): string {
    return createHash('sha256').update(`simulated:${m.name}:${m.seed}`).digest('hex');
  }

  tags() {
    return {
      models: this.list().map((m) => ({
        name: ollamaName(m),
        model: ollamaName(m),
        modified_at: rfc3339Nano(m.createdAt),
        size: this.size(m),
        digest: this.digest(m),
        details: this.details(m),
      })),
    };
  }

  ps() {
    const now = this.ctx.clock.epochMs();
    const models = this.list()
      .filter((m) => (this.loadedUntil.get(m.name) ?? 0) > now)
      .map((m) => {
        const until = this.loadedUntil.get(m.name) as number;
        return {
          name: ollamaName(m),
          model: ollamaName(m),
          size: this.size(m),
          digest: this.digest(m),
          details: this.details(m),
          expires_at: rfc3339Nano(Number.isFinite(until) ? until : Date.UTC(2318, 0, 1)),
          size_vram: 0,
          context_length: m.kind === 'text-generation' ? m.maxModelLen : m.maxInputTokens,
        };
      });
    return { models };
  }

  show(m: LlmModel) {
    const text = m.kind === 'text-generation';
    return {
      license: '',
      modelfile: `# Simulated model served by the Inference Lab embedded server\nFROM ${ollamaName(m)}\n`,
      parameters: '',
      template: text ? '{{ range .Messages }}<|{{ .Role }}|>\n{{ .Content }}\n{{ end }}<|assistant|>\n' : '',
      details: this.details(m),
      model_info: {
        'general.architecture': 'simulated',
        'general.description': m.description,
        'general.parameter_count': text ? 110_000_000 : 23_000_000,
        'simulated.context_length': text ? m.maxModelLen : m.maxInputTokens,
        ...(text ? {} : { 'simulated.embedding_length': m.dimensions }),
      },
      capabilities: text ? ['completion'] : ['embedding'],
      modified_at: rfc3339Nano(m.createdAt),
    };
  }
}
