import type { Slo } from './spec';
import { BenchSpecError } from './specNormalize';

/** "ttft=200,tpot=50" or "ttft<=200ms, e2el<=2s" → milliseconds per metric (the CLI's --slo, the picker's SLO box). */
export function parseSlo(v: string, what = '--slo'): Slo {
  const slo: Record<string, number> = {};
  for (const part of v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(ttft|tpot|e2el)\s*(?:<=|=|:)\s*(\d+(?:\.\d+)?)\s*(ms|s)?$/i.exec(part);
    if (!m) throw new BenchSpecError(`${what}: "${part}" is not ttft|tpot|e2el=<milliseconds>`);
    slo[m[1].toLowerCase()] = Number(m[2]) * (m[3]?.toLowerCase() === 's' ? 1000 : 1);
  }
  return slo;
}
