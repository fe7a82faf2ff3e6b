/**
 * Manual host entries: `host` or `host:port` (an IPv6 address in brackets, `[fd00::1]:8443`), as
 * MANUAL_HOSTS and the catalog's manual URLs name them. A host alone means its default ports only (80
 * and 443): trusting every port of a host let a redirect reach the gateway's own internal listener
 * (issue #24, finding 8). A server on another port is named with it.
 */
import ipaddr from 'ipaddr.js';

export interface ManualHost {
  /** Canonical: lower case, an IP address in one spelling, no brackets. */
  host: string;
  /** Undefined: the default ports. */
  port?: number;
}

export const DEFAULT_PORTS: readonly number[] = [80, 443];

/** One spelling per host, so "::ffff:127.0.0.1" in a list matches the URL's "[::ffff:7f00:1]". */
export function canonicalHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return ipaddr.isValid(bare) ? ipaddr.parse(bare).toNormalizedString() : bare;
}

const NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
const BRACKETED = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i;
const PLAIN = /^([^:[\]]+)(?::(\d{1,5}))?$/;

/** The entry, or undefined when it is not `host` or `host:port` with a port from 1 to 65535. */
export function parseManualHost(entry: string): ManualHost | undefined {
  const bracketed = BRACKETED.exec(entry);
  const plain = bracketed ? undefined : PLAIN.exec(entry);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : plain ? [plain[1]!, plain[2]] : [];
  if (host === undefined) return undefined;
  if (bracketed ? !ipaddr.IPv6.isValid(host) : !NAME.test(host)) return undefined;
  if (port === undefined) return { host: canonicalHost(host) };
  const number = Number(port);
  return number >= 1 && number <= 65_535 ? { host: canonicalHost(host), port: number } : undefined;
}

/** The entry written back: `host`, `host:port`, `[v6]:port`. */
export function formatManualHost({ host, port }: ManualHost): string {
  const shown = host.includes(':') ? `[${ipaddr.parse(host).toString()}]` : host;
  return port === undefined ? shown : `${shown}:${port}`;
}

/** Whether an entry covers the URL's host and port (the scheme's default port when the URL names none). */
export function coversUrl(entry: ManualHost, url: URL): boolean {
  if (entry.host !== canonicalHost(url.hostname)) return false;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return entry.port === undefined ? DEFAULT_PORTS.includes(port) : entry.port === port;
}
