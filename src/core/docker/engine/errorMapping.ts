import { CancelledError, TimeoutError } from '../../util/abort';
import { ContainerError, fixes, type ContainerErrorDetails } from '../errors';

/** What the failing call was doing, so that the message can name it. */
export interface ErrorContext {
  /** Short verb phrase: "ping", "pull", "create container", … */
  op: string;
  /** Where the engine is, safe to show (no credentials). */
  endpoint?: string;
  image?: string;
  containerId?: string;
  port?: number;
  /** The reason of our own timeout/cancel signal, when it fired. */
  abortReason?: unknown;
}

interface RawError {
  name?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  json?: unknown;
  address?: string;
  cause?: { code?: string };
}

/** The engine's `{"message": …}` from a docker-modem error, or its plain message. */
export function engineMessageOf(e: unknown): string {
  const err = e as RawError;
  const json = err?.json as { message?: unknown } | string | undefined;
  if (json && typeof json === 'object' && typeof json.message === 'string') return json.message.trim();
  if (typeof json === 'string' && json.trim()) return json.trim();
  // docker-modem formats "(HTTP code 404) no such container - <engine message> "
  const m = /^\(HTTP code \d+\) [^-]*- (.*)$/s.exec(err?.message ?? '');
  return (m ? m[1] : (err?.message ?? String(e))).trim();
}

const gpuPattern =
  /could not select device driver|nvidia-container-cli|unknown or invalid runtime name: nvidia|CDI device injection failed|unresolvable CDI devices/i;
const portPattern = /port is already allocated|address already in use/i;
const registryPattern =
  /dial tcp|connection refused|no such host|i\/o timeout|TLS handshake timeout|Client\.Timeout|network is unreachable|server gave HTTP response to HTTPS client|context deadline exceeded|connection reset/i;
const imagePattern =
  /manifest unknown|manifest for .* not found|pull access denied|repository does not exist|not found: manifest|no such image|name unknown|invalid reference format/i;

/** Errors whose engine message alone says what happened, whatever the call. */
export function classifyEngineMessage(
  msg: string,
  ctx: ErrorContext,
  details: ContainerErrorDetails,
): ContainerError | undefined {
  if (gpuPattern.test(msg)) {
    return new ContainerError(
      'no-gpu-runtime',
      'A GPU was requested but the Docker engine has no GPU runtime.',
      fixes.noGpu,
      details,
    );
  }
  if (portPattern.test(msg)) {
    const port = ctx.port ?? Number(/:(\d+)\b/.exec(msg)?.[1] ?? NaN);
    const p = Number.isFinite(port) ? ` ${port}` : '';
    return new ContainerError('port-in-use', `Host port${p} is already in use.`, fixes.portInUse, {
      ...details,
      port: Number.isFinite(port) ? port : undefined,
    });
  }
  return undefined;
}

/** A pull failure reported by the engine, at the start or inside the progress stream. */
export function pullError(msg: string, image: string, statusCode?: number): ContainerError {
  const details: ContainerErrorDetails = { engineMessage: msg, image, statusCode };
  if (registryPattern.test(msg) && !/pull access denied|manifest unknown/i.test(msg)) {
    return new ContainerError(
      'registry-unreachable',
      `Cannot reach the registry for ${image}: ${msg}`,
      fixes.registry,
      details,
    );
  }
  if (imagePattern.test(msg) || statusCode === 404) {
    return new ContainerError('image-not-found', `Image ${image} was not found: ${msg}`, fixes.imageNotFound, details);
  }
  return new ContainerError('engine-error', `Pulling ${image} failed: ${msg}`, undefined, details);
}

function connectionError(err: RawError, ctx: ErrorContext, details: ContainerErrorDetails): ContainerError | undefined {
  const code = err.code ?? err.cause?.code ?? '';
  const where = ctx.endpoint ?? err.address ?? 'the Docker engine';
  if (code === 'EACCES' || code === 'EPERM') {
    return new ContainerError('permission-denied', `Permission denied on ${where}.`, fixes.permission, details);
  }
  if (['ENOENT', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN'].includes(code)) {
    return new ContainerError(
      'engine-unavailable',
      `Cannot connect to the Docker engine at ${where} (${code}): is it running?`,
      fixes.engineDown,
      details,
    );
  }
  return undefined;
}

/** Maps anything a dockerode call can throw to a ContainerError with a clear message and fix. */
export function toContainerError(e: unknown, ctx: ErrorContext): ContainerError {
  if (e instanceof ContainerError) return e;
  const err = (e ?? {}) as RawError;
  const details: ContainerErrorDetails = {
    statusCode: err.statusCode,
    containerId: ctx.containerId,
    image: ctx.image,
    cause: e,
  };
  if (TimeoutError.is(ctx.abortReason) || TimeoutError.is(e)) {
    const ms = (ctx.abortReason as TimeoutError | undefined)?.ms ?? (e as TimeoutError).ms;
    return new ContainerError(
      'timeout',
      `The Docker engine did not answer in time (${ctx.op}, ${Math.round(ms / 100) / 10} s).`,
      fixes.engineDown,
      details,
    );
  }
  if (ctx.abortReason !== undefined || CancelledError.is(e) || err.code === 'ABORT_ERR') {
    return new ContainerError('cancelled', `Cancelled (${ctx.op}).`, undefined, details);
  }
  const conn = connectionError(err, ctx, details);
  if (conn) return conn;
  const msg = engineMessageOf(e);
  details.engineMessage = msg;
  const known = classifyEngineMessage(msg, ctx, details);
  if (known) return known;
  if (ctx.op === 'pull') return pullError(msg, ctx.image ?? 'the image', err.statusCode);
  if (err.statusCode === 404 && /no such image/i.test(msg)) {
    return new ContainerError(
      'image-not-found',
      `Image ${ctx.image ?? ''} is not on this engine.`.replace('  ', ' '),
      fixes.imageNotFound,
      details,
    );
  }
  if (err.statusCode === 404)
    return new ContainerError(
      'not-found',
      `Container ${ctx.containerId ?? ''} was not found on the engine.`.replace('  ', ' '),
      undefined,
      details,
    );
  if (err.statusCode === 409 && /already in use/i.test(msg)) {
    return new ContainerError('name-in-use', `The container name is already in use: ${msg}`, fixes.nameInUse, details);
  }
  const status = err.statusCode ? ` (HTTP ${err.statusCode})` : '';
  return new ContainerError('engine-error', `Docker ${ctx.op} failed${status}: ${msg}`, undefined, details);
}
