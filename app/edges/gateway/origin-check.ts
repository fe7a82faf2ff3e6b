/**
 * Cross-site WebSocket hijacking guard. Browsers always send `Origin` on a WebSocket upgrade and let any
 * page open a socket to any site, so the gateway accepts a browser only from its own origin (the page
 * the gateway or the web image served, behind the same host) or one configured in ALLOWED_ORIGINS.
 * Clients that send no Origin are not browsers (curl, load tests, other services) and are allowed.
 */
import type { IncomingMessage } from 'node:http';

export function originAllowed(request: IncomingMessage, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes "null": sandboxed frames and file: pages
  }
  if (allowedOrigins.has(parsed.origin)) return true;
  // The scheme is not compared: TLS ends at the ingress, so the gateway itself sees plain http.
  return parsed.host !== '' && parsed.host === request.headers.host?.toLowerCase();
}
