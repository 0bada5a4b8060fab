import { InferenceError, type InferenceErrorKind } from '../../http/errors';
import { CancelledError, TimeoutError } from '../../util/abort';
import { isSuccess } from '../record';
import { newRecord, type PendingCall, type TargetFactory } from './callTarget';

/**
 * One request before anything is measured (as `vllm bench serve` does): a
 * server that is down, refuses the model or answers in a shape we cannot
 * read fails here with a clear message, not as a run of N identical errors.
 * The request is not recorded.
 */
export async function preflight(
  factory: TargetFactory,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<void> {
  const target = factory(1);
  const rec = newRecord(0, -1, 0, true);
  let call: PendingCall | undefined;
  const done = new Promise<void>((resolve) => (call = target.start(0, rec, resolve)));
  const timer = setTimeout(() => call?.abort(new TimeoutError(timeoutMs, 'The test request')), timeoutMs);
  const onAbort = () => call?.abort(new CancelledError());
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await done;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    await target.close();
  }
  if (isSuccess(rec)) return;
  if (rec.x) throw new CancelledError();
  const kind = (rec.ek ?? 'unknown') as InferenceErrorKind;
  const status = rec.st || undefined;
  if (kind === 'timeout')
    throw new InferenceError(
      kind,
      `The test request failed: no complete answer within --timeout ${timeoutMs / 1000} s (${rec.er})`,
      { status },
    );
  throw new InferenceError(kind, `The test request failed: ${rec.er ?? `HTTP ${rec.st}`}`, { status });
}
