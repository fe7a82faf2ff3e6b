/** Liveness, readiness and metrics endpoints, shared by the gateway and the worker. */
import type { FastifyInstance } from 'fastify';
import type { Telemetry } from '../telemetry/registry.js';

export type ReadinessChecks = Record<string, () => Promise<void>>;

const READINESS_TIMEOUT_MS = 1_500;

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
    checks: ReadinessChecks;
    draining: () => boolean;
    /** Facts an operator wants next to the checks (e.g. which text extractor reads manuals here). */
    details?: () => Record<string, string>;
  },
): void {
  app.get('/livez', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (options.draining()) return reply.code(503).send({ status: 'draining' });
    const results = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), READINESS_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message || 'down'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'unready',
      checks: Object.fromEntries(results),
      ...(options.details ? { details: options.details() } : {}),
    });
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.telemetry.registry.contentType);
    return options.telemetry.registry.metrics();
  });
}
