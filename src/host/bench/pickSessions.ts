import { askNumbers, presetBase, type WorkloadEntry } from './pickWorkload';

/** Multi-turn conversations: users whose histories grow by the server's answers. */
export const sessionsEntry: WorkloadEntry<'sessions'> = {
  label: 'Multi-turn conversations…',
  detail: 'Users chatting: each history grows by its answers, with think time between turns; TTFT by turn index',
  p: 'sessions',
  async ask(ctx) {
    const answer = await askNumbers(
      ctx,
      'Users (conversations at once), turns per conversation, think time between turns (s)',
      '4,4,1',
      ([users, turns, think]) =>
        Number.isInteger(users) && users > 0 && Number.isInteger(turns) && turns > 0 && think >= 0
          ? undefined
          : 'Three numbers: users, turns, think time in seconds (e.g. 4,4,1)',
    );
    if (!answer) return undefined;
    const [users, turns, thinkTimeSec] = answer;
    const base = await presetBase('quick', ctx);
    return {
      ...base,
      api: 'openai-chat',
      requests: undefined,
      load: { sessions: { users, turns, thinkTimeSec, conversations: users * 2 } },
    };
  },
};
