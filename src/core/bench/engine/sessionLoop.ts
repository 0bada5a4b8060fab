import { setTimeout as sleep } from 'node:timers/promises';
import { isSuccess } from '../record';
import type { ChatMessage, TextItem } from '../workload/textWorkload';
import type { CallPlan } from './callTarget';
import type { LoopOutcome } from './closedLoop';
import { now } from './clock';
import type { InFlight } from './inFlight';

export interface SessionLoopPlan {
  users: number;
  turns: number;
  thinkTimeMs: number;
  conversations: number;
  /** No turn starts after this many ms (a conversation cut short counts as not completed). */
  durationMs?: number;
  /**
   * The user messages: turn k of conversation c says items[(c × turns + k − 1) mod length]; or, when the
   * items are dataset conversations (their `userTurns`), items[c mod length].userTurns[k − 1].
   */
  items: TextItem[];
  /** The request of one turn: the whole history so far, ending with the new user message. */
  planFor(messages: ChatMessage[], item: TextItem, inputTokens: number | undefined): CallPlan;
  /** The server's count of a history's prompt tokens, before the turn is sent (not part of its latency). */
  count?(messages: ChatMessage[], signal?: AbortSignal): Promise<number>;
  signal?: AbortSignal;
}

/**
 * Multi-turn sessions: `users` workers, each holding one conversation at a
 * time. A turn sends the history so far plus the next user message over the
 * chat API; its answer, as streamed, is appended before the think time and
 * the next turn. A failed turn ends its conversation (there is no answer to
 * build on). The scheduled time of a turn is the moment it was due (after
 * the think time and the token count), so `t − q` is client overhead only.
 */
export async function runSessionLoop(flight: InFlight, plan: SessionLoopPlan): Promise<LoopOutcome> {
  const start = now();
  const deadline = plan.durationMs !== undefined ? start + plan.durationMs : Infinity;
  const stopped = () => flight.cancelled || (plan.signal?.aborted ?? false) || now() >= deadline;
  let next = 0;
  let sent = 0;
  const conversation = async (c: number) => {
    const history: ChatMessage[] = [];
    for (let k = 1; k <= plan.turns; k++) {
      if (k > 1 && plan.thinkTimeMs > 0)
        await sleep(plan.thinkTimeMs, undefined, { signal: plan.signal }).catch(() => undefined);
      if (stopped()) return;
      const said = plan.items[c % plan.items.length].userTurns;
      const item = said ? said[k - 1] : plan.items[(c * plan.turns + k - 1) % plan.items.length];
      history.push({ role: 'user', content: item.prompt });
      let counted: number | undefined;
      if (plan.count) counted = await plan.count(history, plan.signal).catch(() => undefined);
      if (stopped()) return;
      let answer = '';
      const p = plan.planFor(history, item, counted);
      p.turn = { conversation: c, turn: k };
      p.answer = (text) => (answer = text);
      sent++;
      const rec = await flight.send(now(), false, p, true);
      if (!rec) {
        sent--;
        return;
      }
      if (!isSuccess(rec)) return;
      history.push({ role: 'assistant', content: answer });
    }
  };
  const user = async () => {
    while (next < plan.conversations && !stopped()) await conversation(next++);
  };
  await Promise.all(Array.from({ length: Math.min(plan.users, plan.conversations) }, user));
  return { start, end: Number.isFinite(flight.lastEnd) ? flight.lastEnd : start, sent };
}
