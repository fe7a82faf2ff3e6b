/**
 * Serves the built web UI (app/web/dist) at `/` in embedded and single-image deployments; in the
 * cluster the web image serves it instead. Hashed assets are immutable; index.html is always revalidated.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export async function registerStaticUi(app: FastifyInstance, root = WEB_DIST): Promise<boolean> {
  if (!existsSync(`${root}index.html`)) {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The web UI is not built: run `npm run build:web` (npm start does it for you).\n'),
    );
    return false;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    // The build writes .br and .gz beside each asset (app/web/vite.config.ts): sent per Accept-Encoding.
    preCompressed: true,
    cacheControl: false, // ours below, per file kind
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('x-content-type-options', 'nosniff');
    },
  });
  // Browsers and crawlers ask for /favicon.ico whatever the page declares.
  app.get('/favicon.ico', async (_request, reply) => reply.redirect('/favicon.svg', 301));
  return true;
}
