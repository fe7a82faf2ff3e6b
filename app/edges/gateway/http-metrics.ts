/**
 * RED metrics for every HTTP route, labelled by route pattern (never the raw URL: bounded
 * cardinality), and every 5xx reported with its route and answered without the error's text.
 */
import type { FastifyInstance } from 'fastify';
import { reportError } from '../../shared/telemetry/errors.js';
import type { Instruments } from '../../shared/telemetry/registry.js';

export function registerHttpMetrics(app: FastifyInstance, m: Instruments): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    m.httpRequestsTotal.inc({ ...labels, status: String(reply.statusCode) });
    m.httpRequestDurationSeconds.observe(labels, reply.elapsedTime / 1000);
  });
  // Every failure of a route ends here. A 5xx body never carries the error's own text (a database
  // error names tables, values, SQL): the client gets the request id, which the log line and the
  // Sentry report carry too. A 4xx is the client's mistake, answered with Fastify's own message.
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) return reply.code(status).send({ error: error.code ?? 'bad_request', message: error.message });
    const ref = reportError(error, {
      requestId: request.id,
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status,
    });
    request.log.error({ err: error, ref }, 'request failed');
    return reply
      .code(status)
      .send({ error: 'internal', message: `something went wrong on our side (request ${request.id})` });
  });
}
