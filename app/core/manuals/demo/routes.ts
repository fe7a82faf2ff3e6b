/** Serves the bundled demo manuals, so the embedded app needs no manual host (the fetcher downloads them from here). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEMO_ROUTE, type DemoManuals } from './demo-manuals.js';
import { readDemoManual } from './manifest.js';

const FileParams = z.object({ file: z.string().regex(/^[a-z0-9-]+\.pdf$/) });

export function registerDemoManualRoutes(app: FastifyInstance, demo: DemoManuals): void {
  app.get(`${DEMO_ROUTE}:file`, async (request, reply) => {
    const params = FileParams.safeParse(request.params);
    const entry = params.success ? demo.byFile(params.data.file) : undefined;
    if (!entry) return reply.code(404).send({ error: 'not_found', message: 'no such demo manual' });
    return reply
      .type('application/pdf')
      .header('cache-control', 'public, max-age=3600')
      .send(await readDemoManual(entry));
  });
}
