/**
 * Server facts shared by the host and webviews (request panel, benchmark UI):
 * what a picker needs to offer a server, without its secrets.
 */

/** The Servers tree's status words (one icon each). `probing` = no probe has finished yet. */
export type ServerStatus = 'ready' | 'live-not-ready' | 'unreachable' | 'auth-failed' | 'unrecognized' | 'probing';

/** Where a server in the tree comes from. */
export type ServerOrigin = 'configured' | 'embedded' | 'discovered';

/** A server as a picker in a panel shows it. API keys are never part of it. */
export interface ServerChoice {
  /** Stable id: the settings id, `embedded.<personality>` or `discovered.<port>`. */
  id: string;
  name: string;
  url: string;
  /** A ServerKind word (`vllm`, `triton`, …) once known. */
  kind?: string;
  origin: ServerOrigin;
  status: ServerStatus;
  /** Model names from the last probe. */
  models: string[];
}
