/**
 * Our own token count ("own" in the raw records; GenAI-Perf's ISL/OSL, and
 * vLLM's fallback when a server sends no usage). Real tools load the model's
 * Hugging Face tokenizer; we cannot, so we count with the simulated tokenizer
 * of the embedded server: word pieces of up to six letters, digits and
 * punctuation marks. On the embedded server it agrees with `usage` exactly; on
 * real models it is an approximation, which is why profiles prefer the
 * server's usage where their tool does.
 */
import { countTokens as simulatedCount } from '../../text/tokenizer';

export function countTokens(text: string): number {
  return simulatedCount(text);
}
