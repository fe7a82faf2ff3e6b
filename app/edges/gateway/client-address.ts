/**
 * The client's address behind `trustedHops` proxies (the ingress is one). Each proxy appends the
 * address it received the request from to X-Forwarded-For, so only the rightmost `trustedHops` entries
 * were written by proxies we run; everything to their left is whatever the client sent, and a client
 * can put any address there. The hop the outermost trusted proxy added is the client.
 */
import type { IncomingMessage } from 'node:http';

export function clientAddress(request: IncomingMessage, trustedHops: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (hops.length === 0) return peer;
  // Fewer hops than trusted proxies: the request skipped one of them; the leftmost is the best we have.
  return hops[Math.max(0, hops.length - trustedHops)]!;
}
