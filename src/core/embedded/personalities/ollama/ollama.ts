/**
 * The Ollama personality (wire reference §9): `GET|HEAD /` banner,
 * `/api/version`, `/api/tags`, `/api/ps`, `/api/show`, `/api/generate`,
 * `/api/chat`, `/api/embed`, `/api/embeddings`. No auth, as the real one.
 */
import { Router } from '../../http/router';
import type { EmbeddedContext } from '../../personality';
import { httpPersonality } from '../httpPersonality';
import { ollamaEmbedHandler } from './ollamaEmbed';
import { ollamaGenerateHandler, readOllamaJson } from './ollamaGenerate';
import { OllamaModels } from './ollamaModels';
import { OLLAMA_VERSION, sendOllamaFailure, sendOllamaJson, sendOllamaText } from './ollamaWire';

function ollamaRouter(ctx: EmbeddedContext): Router {
  const models = new OllamaModels(ctx);
  const version = typeof ctx.options.version === 'string' ? ctx.options.version : OLLAMA_VERSION;
  // gin answers unknown paths and unregistered methods alike.
  const notFound = {
    notFound: (_req: unknown, res: Parameters<typeof sendOllamaText>[0]) =>
      sendOllamaText(res, 404, '404 page not found'),
  };
  return new Router({ ...notFound, error: (_req, res, e) => sendOllamaFailure(res, e) })
    .on(['GET', 'HEAD'], '/', (_req, res) => sendOllamaText(res, 200, 'Ollama is running'))
    .on('GET', '/api/version', (_req, res) => sendOllamaJson(res, 200, { version }))
    .on('GET', '/api/tags', (_req, res) => sendOllamaJson(res, 200, models.tags()))
    .on('GET', '/api/ps', (_req, res) => sendOllamaJson(res, 200, models.ps()))
    .on('POST', '/api/show', async (req, res) => {
      try {
        const body = await readOllamaJson(req);
        sendOllamaJson(res, 200, models.show(models.resolve(body.model ?? body.name)));
      } catch (e) {
        sendOllamaFailure(res, e);
      }
    })
    .on('POST', '/api/generate', ollamaGenerateHandler(ctx, models, 'generate'))
    .on('POST', '/api/chat', ollamaGenerateHandler(ctx, models, 'chat'))
    .on('POST', '/api/embed', ollamaEmbedHandler(ctx, models, false))
    .on('POST', '/api/embeddings', ollamaEmbedHandler(ctx, models, true));
}

export const ollamaPersonality = httpPersonality('ollama', 'Ollama', 30, (ctx) => ollamaRouter(ctx).handle);
