/**
 * Operator API under /api/admin, behind a bearer token (ADMIN_TOKEN). Without a token configured the
 * routes do not exist. The Ingress keeps /api internal.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SafeId } from '../protocol.js';

const SessionParams = z.object({ sessionId: SafeId(100) });

export interface AdminActions {
  eraseSession(sessionId: string): Promise<object>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function registerAdminRoutes(app: FastifyInstance, token: string | undefined, actions: AdminActions): void {
  if (!token) return;
  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!tokenMatches(request.headers.authorization, token)) {
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
