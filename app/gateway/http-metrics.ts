/** RED metrics for every HTTP route, labelled by route pattern (never the raw URL: bounded cardinality). */
import type { FastifyInstance } from 'fastify';
import type { Instruments } from '../telemetry/registry.js';

export function registerHttpMetrics(app: FastifyInstance, m: Instruments): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    m.httpRequestsTotal.inc({ ...labels, status: String(reply.statusCode) });
    m.httpRequestDurationSeconds.observe(labels, reply.elapsedTime / 1000);
  });
}
