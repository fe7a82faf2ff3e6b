/**
 * RED metrics for every HTTP route, labelled by route pattern (never the raw URL: bounded
 * cardinality), and every 5xx reported with its route.
 */
import type { FastifyInstance } from 'fastify';
import { reportError } from '../telemetry/errors.js';
import type { Instruments } from '../telemetry/registry.js';

export function registerHttpMetrics(app: FastifyInstance, m: Instruments): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    m.httpRequestsTotal.inc({ ...labels, status: String(reply.statusCode) });
    m.httpRequestDurationSeconds.observe(labels, reply.elapsedTime / 1000);
  });
  app.addHook('onError', async (request, _reply, error) => {
    const status = error.statusCode ?? 500;
    if (status < 500) return; // the client's mistake, answered with its 4xx
    const ref = reportError(error, {
      requestId: request.id,
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status,
    });
    request.log.error({ err: error, ref }, 'request failed');
  });
}
