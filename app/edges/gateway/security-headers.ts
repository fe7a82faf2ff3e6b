/**
 * Browser security headers for everything the public listener serves. The built UI loads one module
 * script and one stylesheet from /assets and has no inline script or style, so the policy allows only
 * this origin for code, styles and the WebSocket ('self' covers ws:/wss: to the same host); product
 * images come from the catalog's image hosts over https. docker/web/nginx.conf sends the same policy
 * (a test keeps the two equal).
 */
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent only over TLS (at the ingress: X-Forwarded-Proto from a trusted proxy); over plain http it is ignored anyway. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY'); // frame-ancestors for browsers without CSP level 2
    if (request.protocol === 'https') reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    return payload;
  });
}
