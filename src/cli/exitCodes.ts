/**
 * The exit codes of `inference-lab bench`, one per kind of outcome (docs/cli.md,
 * CLI). Scripts may rely on them: they only ever gain new values.
 */
export const exitCodes = {
  /** The run finished (and met the goodput target, when one was given). */
  ok: 0,
  /** An unexpected failure (a defect: please report it with the message). */
  unexpected: 1,
  /** Unusable arguments or spec, an output path that cannot be written, or a server answer that rejects them (HTTP 400/404/422). */
  usage: 2,
  /** The server could not be reached, or did not answer in time (--timeout). */
  unreachable: 3,
  /** The run finished but missed the goodput target (--min-goodput). */
  goodputMissed: 4,
  /** The server broke the protocol: a malformed answer, an HTTP 5xx, a response header over the size limit. */
  serverError: 5,
  /** The server refused the credentials (HTTP 401/403): authentication failed. */
  authFailed: 6,
  /** The server failed during the run (stopped answering, or more errors than --max-error-rate): what was measured is saved, marked incomplete. */
  serverFailed: 7,
  /** The result file could not be written after the run: the summary was printed and the raw records are kept. */
  writeFailed: 8,
  /** Interrupted (Ctrl-C): what was measured is saved, marked incomplete. */
  interrupted: 130,
} as const;
