/** Citation links open the product's manual at a page: `/manuals/<productId>.pdf#page=N` redirects to the manual. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

const ProductParams = z.object({ productId: z.string().min(1).max(200) });

/** `manualLink` gives the URL or path the product's manual is read from; undefined when it has none. */
export function registerManualLinks(app: FastifyInstance, manualLink: (productId: string) => string | undefined): void {
  app.get('/manuals/:productId.pdf', async (request, reply) => {
    const params = ProductParams.safeParse(request.params);
    const target = params.success ? manualLink(params.data.productId) : undefined;
    if (!target) return reply.code(404).send({ error: 'not_found', message: 'no manual for this product' });
    return reply.redirect(target, 302);
  });
}
