import type { RawRecord } from '../record';
import type { ApiRequest } from '../protocols/apiProtocol';

/** What request number i sends: the (cached) request, how many items it carries, our input token count. */
export interface CallPlan {
  request: ApiRequest;
  /** Items in the request (batch size). */
  n: number;
  /** Our own count of input tokens, when the workload has text. */
  inputOwn?: number;
  /** A multi-turn conversation's turn (written to the record as `cv`, `tn`). */
  turn?: { conversation: number; turn: number };
  /** LoRA traffic: the index of the adapter the request names (written to the record as `ad`). */
  adapter?: number;
  /** Gets the generated text when the request has finished (a conversation appends it to its history). */
  answer?: (text: string) => void;
}

/** A request in flight: `abort` ends it early (cancel, timeout); its `done` callback still runs once. */
export interface PendingCall {
  abort(reason: Error): void;
}

/**
 * Where requests go (one HTTP API or gRPC method, with connections sized for
 * one step). `start` sets `rec.t` at the moment of sending, fills the rest of
 * the record and then calls `done` exactly once, whatever happened. A callback
 * rather than a promise: this runs once per request on the hot path.
 */
export interface CallTarget {
  /** `plan` replaces the target's own plan for request i (a trace line's prompt). */
  start(i: number, rec: RawRecord, done: () => void, plan?: CallPlan): PendingCall;
  close(): Promise<void>;
}

/** Builds a target with a given number of connections (one per step: pools are sized to the load). */
export type TargetFactory = (connections: number) => CallTarget;

/** A fresh record with every field present from the start (one hidden class for all records). */
export function newRecord(i: number, step: number, q: number, warm: boolean): RawRecord {
  return {
    i,
    s: step,
    w: warm ? 1 : undefined,
    n: 1,
    q,
    t: 0,
    h: undefined,
    e: 0,
    ev: undefined,
    st: 0,
    ek: undefined,
    er: undefined,
    x: undefined,
    iu: undefined,
    io: undefined,
    ou: undefined,
    oo: undefined,
    ic: undefined,
    cv: undefined,
    tn: undefined,
    ru: undefined,
    ro: undefined,
    ad: undefined,
    bo: 0,
    bi: 0,
  };
}
