/**
 * `docker pull` with progress: reads the engine's NDJSON progress stream,
 * folds it into one percentage, and turns an error line inside the stream
 * (the engine answers 200 and reports failures in-band) into a clear error.
 * There is no overall limit, only an idle one: big images take as long as
 * they take, but a stalled pull does not hang forever.
 */
import { ndjsonLines } from '../../http/streams';
import { TimeoutError } from '../../util/abort';
import type { PullOptions } from './containerService';
import { validated, validators } from './engineSchemas';
import { pullError, toContainerError } from './errorMapping';
import { PullProgressTracker } from './pullProgress';

export async function pullImage(
  start: (signal: AbortSignal) => Promise<NodeJS.ReadableStream>,
  image: string,
  o: PullOptions,
  endpoint: string,
): Promise<void> {
  const idleMs = o.idleTimeoutMs ?? 300_000;
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  let idle: NodeJS.Timeout | undefined;
  const arm = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => ctrl.abort(new TimeoutError(idleMs, 'Pull without progress')), idleMs);
    idle.unref?.();
  };
  const tracker = new PullProgressTracker();
  try {
    arm();
    const stream = await start(ctrl.signal);
    for await (const line of ndjsonLines(stream as AsyncIterable<Uint8Array>)) {
      arm();
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch {
        continue; // a proxy's stray text line: the error lines we act on are JSON
      }
      const msg = validated(validators.pullMessage, data, `POST /images/create (pull ${image})`);
      if (msg.error || msg.errorDetail?.message)
        throw pullError(msg.errorDetail?.message ?? msg.error ?? 'unknown error', image);
      o.onProgress?.(tracker.update(msg));
    }
    if (ctrl.signal.aborted) throw ctrl.signal.reason;
    o.onProgress?.(tracker.finish());
  } catch (e) {
    throw toContainerError(e, {
      op: 'pull',
      image,
      endpoint,
      abortReason: ctrl.signal.aborted ? ctrl.signal.reason : undefined,
    });
  } finally {
    if (idle) clearTimeout(idle);
    o.signal?.removeEventListener('abort', onAbort);
  }
}
