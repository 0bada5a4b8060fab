/**
 * The models an embedded server serves, by name. Personalities look models
 * up here (each personality decides which kinds it serves) and never keep
 * their own copies, so config changes apply to all of them.
 */
import type { EmbeddingModel } from './embeddingModel';
import type { ImageModel } from './imageModel';
import type { TextModel } from './textModel';
import type { ModelKind } from './types';

export type SimulatedModel = TextModel | EmbeddingModel | ImageModel;

type ByKind<K extends ModelKind> = Extract<SimulatedModel, { kind: K }>;

export class ModelRegistry {
  private readonly models = new Map<string, SimulatedModel>();

  constructor(models: Iterable<SimulatedModel> = []) {
    for (const m of models) this.add(m);
  }

  add(model: SimulatedModel): void {
    if (this.models.has(model.name)) throw new Error(`Duplicate model name "${model.name}"`);
    this.models.set(model.name, model);
  }

  get(name: string): SimulatedModel | undefined {
    return this.models.get(name);
  }

  /** The model called `name` if it is of `kind`. */
  getOfKind<K extends ModelKind>(name: string, kind: K): ByKind<K> | undefined {
    const m = this.models.get(name);
    return m && m.kind === kind ? (m as ByKind<K>) : undefined;
  }

  /** All models, in configuration order. */
  list(): SimulatedModel[] {
    return [...this.models.values()];
  }

  ofKind<K extends ModelKind>(kind: K): ByKind<K>[] {
    return this.list().filter((m): m is ByKind<K> => m.kind === kind);
  }

  /** The first model of `kind` (the default for single-model personalities such as TGI and TEI). */
  first<K extends ModelKind>(kind: K): ByKind<K> | undefined {
    return this.ofKind(kind)[0];
  }
}
