/**
 * Operator API under /api/admin, behind a bearer token (ADMIN_TOKEN). Without a token configured the
 * routes do not exist. It is served on the gateway's internal listener (INTERNAL_PORT), which the
 * Ingress never routes to. Failed token attempts are counted, and an address that keeps failing is
 * refused for a while (429) before its token is even compared, so guessing does not scale.
 */
import { timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SafeId } from '../../shared/protocol.js';
import type { Instruments } from '../../shared/telemetry/registry.js';

/** Failed attempts one address may make per window before it is throttled until the window ends. */
export const ADMIN_FAILURES_PER_WINDOW = 10;
const FAILURE_WINDOW_MS = 60_000;

const SessionParams = z.object({ sessionId: SafeId(100) });

export interface AdminActions {
  eraseSession(sessionId: string): Promise<object>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function registerAdminRoutes(
  app: FastifyInstance,
  token: string | undefined,
  metrics: Instruments,
  actions: AdminActions,
): void {
  if (!token) return;
  // Bounded, and each address's count expires with its window.
  const failures = new LRUCache<string, { count: number }>({ max: 10_000, ttl: FAILURE_WINDOW_MS });
  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    const seen = failures.get(request.ip);
    if (seen && seen.count >= ADMIN_FAILURES_PER_WINDOW) {
      metrics.adminAuthFailuresTotal.inc({ outcome: 'throttled' });
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil(failures.getRemainingTTL(request.ip) / 1000)))
        .send({ error: 'rate_limited', message: 'too many failed admin token attempts; try again later' });
    }
    if (!tokenMatches(request.headers.authorization, token)) {
      metrics.adminAuthFailuresTotal.inc({ outcome: 'rejected' });
      if (seen) seen.count += 1;
      else failures.set(request.ip, { count: 1 });
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'a valid admin bearer token is required' });
    }
  };
  app.delete('/api/admin/sessions/:sessionId', { preHandler: authorize }, async (request, reply) => {
    const params = SessionParams.safeParse(request.params);
    if (!params.success)
      return reply.code(400).send({
        error: 'bad_request',
        message: `sessionId: 1 to 100 characters, no control characters (${params.error.issues[0]?.message ?? 'invalid'})`,
      });
    return reply.send(await actions.eraseSession(params.data.sessionId));
  });
}
