/** A personality that is one node:http listener: the common case (TGI, Ollama, TEI, Ray Serve). */
import type { RequestListener } from 'node:http';
import { listenHttp } from '../http/listen';
import type { EmbeddedContext, Personality } from '../personality';

export function httpPersonality(
  name: string,
  title: string,
  portOffset: number,
  handler: (ctx: EmbeddedContext) => RequestListener,
): Personality {
  return {
    name,
    title,
    portOffset,
    portCount: 1,
    async start(ctx, host, port, signal) {
      // Build the handler first: a bad option (e.g. an unknown served model) fails before a port is taken.
      const l = await listenHttp(handler(ctx), host, port, signal);
      return { endpoints: { [name]: l.url }, close: () => l.close() };
    },
  };
}
