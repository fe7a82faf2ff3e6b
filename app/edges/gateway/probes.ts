/**
 * Liveness, readiness and metrics endpoints, shared by the gateway and the worker.
 *
 * Readiness says whether this process can serve, not whether every dependency is up: a gateway whose
 * Postgres or Redis is gone still predicts from memory and answers `unavailable` fast where it needs
 * them, so taking it out of the Service would only turn a partial outage into a total one. /readyz
 * therefore answers at once from local state (503 only while draining), and calls no dependency (a
 * blackholed one would outlast the kubelet's probe timeout). /dependencies reports each dependency's
 * state for people and monitors.
 */
import type { FastifyInstance } from 'fastify';
import type { Telemetry } from '../../shared/telemetry/registry.js';

/** Named checks that throw when their dependency is down. */
export type DependencyChecks = Record<string, () => Promise<void>>;

const DEPENDENCY_TIMEOUT_MS = 1_500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function registerProbes(
  app: FastifyInstance,
  options: {
    telemetry: Telemetry;
    dependencies: DependencyChecks;
    draining: () => boolean;
    /** Facts an operator wants next to readiness (e.g. which text extractor reads manuals here). */
    details?: () => Record<string, string>;
    /** False where /metrics lives on a separate internal listener instead (the gateway). */
    metrics?: boolean;
  },
): void {
  app.get('/livez', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) =>
    options.draining()
      ? reply.code(503).send({ status: 'draining' })
      : { status: 'ready', ...(options.details ? { details: options.details() } : {}) },
  );
  app.get('/dependencies', async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(options.dependencies).map(async ([name, check]) => {
        try {
          await withTimeout(check(), DEPENDENCY_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message || 'down'] as const;
        }
      }),
    );
    const up = results.every(([, state]) => state === 'ok');
    return reply
      .code(up ? 200 : 503)
      .send({ status: up ? 'up' : 'degraded', dependencies: Object.fromEntries(results) });
  });
  if (options.metrics !== false) registerMetricsRoute(app, options.telemetry);
}

export function registerMetricsRoute(app: FastifyInstance, telemetry: Telemetry): void {
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', telemetry.registry.contentType);
    return telemetry.registry.metrics();
  });
}
