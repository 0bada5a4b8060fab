import type { LoraAdapter } from './spec';
import { BenchSpecError } from './specNormalize';

/** `sql-lora=3,chat-lora,base=0.5` → adapters with weights (default 1): the CLI's --lora, the picker's LoRA box. */
export function parseLora(v: string, what = '--lora'): LoraAdapter[] {
  return v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const m = /^([^=\s]+)(?:\s*=\s*(.+))?$/.exec(p);
      if (!m) throw new BenchSpecError(`${what}: "${p}" is not NAME or NAME=WEIGHT`);
      if (m[2] === undefined) return { name: m[1] };
      const weight = Number(m[2]);
      if (!(weight > 0) || !Number.isFinite(weight))
        throw new BenchSpecError(`${what}: adapter "${m[1]}" needs a positive weight (got "${m[2]}")`);
      return { name: m[1], weight };
    });
}
