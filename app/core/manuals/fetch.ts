/**
 * The guarded manual fetcher. A manual URL comes from a catalog file, so it is treated as untrusted:
 *  - http(s) only, and only to allowed hosts and ports (the hosts of catalog manualUrls plus MANUAL_HOSTS,
 *    each `host`, meaning ports 80 and 443 only, or `host:port`: app/shared/config/manual-hosts.ts);
 *  - the host is resolved here and every address checked: private, loopback, link-local, ULA,
 *    IPv4-mapped and other non-public ranges are refused, unless the host is named in MANUAL_HOSTS;
 *  - the connection is pinned to the address that was checked (a custom `lookup`), so a DNS answer
 *    that changes between check and connect (rebinding) cannot send us somewhere else;
 *  - every redirect is checked again, at most 3 of them;
 *  - connect, idle and total timeouts; the size cap is enforced while streaming (and up front from
 *    Content-Length), so a 10 GB body costs at most the cap;
 *  - the body must start with the PDF magic bytes, checked on the first bytes, not after the download;
 *  - what the remote server says about itself (Content-Type, status text) never reaches the customer:
 *    a reason in our words and the status code.
 */
import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { ManualFetchError } from './errors.js';
import { coversUrl, parseManualHost, type ManualHost } from '../../shared/config/manual-hosts.js';

export interface FetchProgress {
  bytesReceived: number;
  /** From Content-Length, when the server sent one. */
  totalBytes?: number;
}

export interface FetchManualOptions {
  /** Hosts (`host` or `host:port`) of the catalog's manualUrls: allowed, but only when they resolve to public addresses. */
  allowedHosts: readonly string[];
  /** MANUAL_HOSTS (`host` or `host:port`): allowed, and allowed to resolve to private addresses (an intranet mirror, a test server). */
  explicitHosts?: readonly string[];
  /** Exact origins (scheme, host and port) trusted like explicit hosts: the app's own demo manuals. */
  explicitOrigins?: readonly string[];
  maxBytes?: number;
  maxRedirects?: number;
  connectTimeoutMs?: number;
  /** No byte for this long (before or during the body) → the server is considered stalled. */
  idleTimeoutMs?: number;
  totalTimeoutMs?: number;
  /** Called for every chunk received; callers that publish it should throttle. */
  onProgress?: (progress: FetchProgress) => void;
  signal?: AbortSignal;
}

export interface FetchedManual {
  body: Buffer;
  /** The URL that finally answered, after redirects. */
  url: string;
  bytes: number;
  sha256: string;
  contentType: string | undefined;
}

export const FETCH_DEFAULTS = {
  maxBytes: 50 * 1024 * 1024,
  maxRedirects: 3,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 15_000,
  totalTimeoutMs: 120_000,
} as const;

const PDF_MAGIC = Buffer.from('%PDF-', 'ascii');
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Address {
  address: string;
  family: 4 | 6;
}

type Hop = { kind: 'redirect'; location: string } | { kind: 'body'; manual: FetchedManual };

function hostOf(url: URL): string {
  // URL keeps IPv6 literals in brackets; sockets do not.
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Which addresses a host may connect to; throws a permanent error naming why not. */
async function resolveChecked(host: string, explicit: boolean): Promise<Address> {
  let addresses: Address[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = (await dnsLookup(host, { all: true, verbatim: true })).map((a) => ({
        address: a.address,
        family: a.family === 6 ? 6 : 4,
      }));
    } catch (error) {
      throw new ManualFetchError('network', `the manual's host "${host}" could not be resolved (DNS)`, false, {
        cause: error,
      });
    }
  }
  const first = addresses[0];
  if (!first) throw new ManualFetchError('network', `the manual's host "${host}" has no address`, false);
  if (explicit) return first;
  for (const { address } of addresses) {
    // process() turns IPv4-mapped IPv6 (::ffff:10.0.0.1) into the IPv4 it hides, so it is judged as that.
    const range = ipaddr.process(address).range();
    if (range !== 'unicast') {
      throw new ManualFetchError(
        'blocked_address',
        `the manual's host "${host}" points to a ${range} address (${address}), which is not allowed; name the host in MANUAL_HOSTS if it is a trusted internal server`,
        true,
      );
    }
  }
  return first;
}

/** The entries that parse; one that does not (never from a validated MANUAL_HOSTS) allows nothing. */
function hostEntries(entries: readonly string[]): ManualHost[] {
  return entries.flatMap((entry) => parseManualHost(entry.trim()) ?? []);
}

function checkUrl(
  raw: string,
  allowed: readonly ManualHost[],
  explicit: readonly ManualHost[],
  explicitOrigins: Set<string>,
): { url: URL; host: string; explicit: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ManualFetchError('blocked_url', `the manual link is not a valid URL`, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ManualFetchError(
      'blocked_url',
      `the manual link uses ${url.protocol.replace(':', '')}; only http and https are allowed`,
      true,
    );
  }
  const host = hostOf(url);
  // Host and port: a host named alone is trusted on its default ports only, a trusted origin on its own.
  const isExplicit = explicit.some((entry) => coversUrl(entry, url)) || explicitOrigins.has(url.origin);
  if (!isExplicit && !allowed.some((entry) => coversUrl(entry, url))) {
    throw new ManualFetchError(
      'blocked_host',
      `the manual's address "${url.host}" is not an allowed manual host and port (catalog hosts or MANUAL_HOSTS)`,
      true,
    );
  }
  return { url, host, explicit: isExplicit };
}

function statusError(status: number): ManualFetchError {
  if (status === 404 || status === 410) {
    return new ManualFetchError('not_found', `the manual is no longer at its address (HTTP ${status})`, true);
  }
  if (status === 408 || status === 429 || status >= 500) {
    return new ManualFetchError('http_error', `the manual's server is failing or busy (HTTP ${status})`, false);
  }
  return new ManualFetchError('http_error', `the manual's server refused the download (HTTP ${status})`, true);
}

function networkError(error: unknown): ManualFetchError {
  if (error instanceof ManualFetchError) return error;
  // Not always a string: an AbortSignal's DOMException carries a numeric legacy code.
  const code = String((error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown');
  // The HTTP parser's verdict (HPE_*): the server speaks broken HTTP, and will again on the next try.
  if (code.startsWith('HPE_')) {
    return new ManualFetchError('http_error', `the manual's server sent a malformed HTTP response`, true, {
      cause: error,
    });
  }
  // One message for refused, reset, unreachable…: which one it was would tell a hostile manual host
  // what listens where (a port scan through our fetcher). The cause, with its code, goes to the log.
  return new ManualFetchError('network', `the manual's server could not be reached`, false, {
    cause: error,
  });
}

function requestHop(
  target: { url: URL; host: string },
  address: Address,
  o: Required<
    Omit<FetchManualOptions, 'onProgress' | 'signal' | 'allowedHosts' | 'explicitHosts' | 'explicitOrigins'>
  > &
    Pick<FetchManualOptions, 'onProgress'>,
  abortAll: AbortSignal,
): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      abortAll.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (error: unknown) => {
      settle(() => reject(networkError(error)));
      req.destroy();
    };
    /**
     * Every callback below runs on input from a remote host. A throw in one would escape to the event
     * loop and take the process down, so it becomes this download's permanent failure instead.
     */
    const guarded =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A): void => {
        try {
          handler(...args);
        } catch (error) {
          fail(
            error instanceof ManualFetchError
              ? error
              : new ManualFetchError('http_error', `the manual's server sent a response that cannot be handled`, true, {
                  cause: error,
                }),
          );
        }
      };

    // Whatever name the socket layer asks for, it gets the address that passed the check.
    const pinned: LookupFunction = guarded((_hostname, options, callback) => {
      if (options.all) (callback as unknown as (e: null, a: Address[]) => void)(null, [address]);
      else callback(null, address.address, address.family);
    });
    const client = target.url.protocol === 'https:' ? https : http;
    const req = client.request({
      protocol: target.url.protocol,
      hostname: target.host,
      port: target.url.port || undefined,
      path: `${target.url.pathname}${target.url.search}`,
      method: 'GET',
      headers: { 'user-agent': 'hsc-jit-manual-fetcher/1', accept: 'application/pdf' },
      lookup: pinned,
      agent: false,
      ...(target.url.protocol === 'https:'
        ? { servername: ipaddr.isValid(target.host) ? undefined : target.host }
        : {}),
    });

    const connectTimer = setTimeout(
      () =>
        fail(
          new ManualFetchError(
            'timeout',
            `the manual's server did not accept a connection within ${o.connectTimeoutMs} ms`,
            false,
          ),
        ),
      o.connectTimeoutMs,
    );
    req.on(
      'socket',
      guarded((socket) => {
        if (!socket.connecting) clearTimeout(connectTimer);
        else socket.once('connect', () => clearTimeout(connectTimer));
      }),
    );
    req.setTimeout(o.idleTimeoutMs, () =>
      fail(new ManualFetchError('timeout', `the manual's server stopped sending for ${o.idleTimeoutMs} ms`, false)),
    );
    const onAbort = () => fail(abortAll.reason);
    abortAll.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail);

    req.on(
      'response',
      guarded((res) => {
        const status = res.statusCode ?? 0;
        if (REDIRECTS.has(status)) {
          res.resume();
          const location = res.headers.location;
          if (!location)
            return fail(
              new ManualFetchError(
                'http_error',
                `the manual's server redirected (HTTP ${status}) without saying where`,
                true,
              ),
            );
          const next = URL.parse(location, target.url.href);
          if (!next)
            return fail(
              new ManualFetchError(
                'http_error',
                `the manual's server redirected (HTTP ${status}) to an address that is not a valid URL`,
                true,
              ),
            );
          settle(() => resolve({ kind: 'redirect', location: next.toString() }));
          req.destroy();
          return;
        }
        if (status !== 200) return fail(statusError(status));

        const contentType = res.headers['content-type'];
        const declared = Number(res.headers['content-length']);
        const totalBytes = Number.isFinite(declared) && declared >= 0 ? declared : undefined;
        if (totalBytes !== undefined && totalBytes > o.maxBytes) {
          return fail(
            new ManualFetchError(
              'too_large',
              `the manual is ${mb(totalBytes)}, over the ${mb(o.maxBytes)} limit`,
              true,
            ),
          );
        }
        const parts: Buffer[] = [];
        const hash = createHash('sha256');
        let received = 0;
        let magicChecked = false;
        res.on(
          'data',
          guarded((chunk: Buffer) => {
            if (settled) return;
            received += chunk.length;
            if (received > o.maxBytes) {
              return fail(
                new ManualFetchError('too_large', `the manual is larger than the ${mb(o.maxBytes)} limit`, true),
              );
            }
            parts.push(chunk);
            hash.update(chunk);
            if (!magicChecked && received >= PDF_MAGIC.length) {
              magicChecked = true;
              if (!Buffer.concat(parts).subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
                // Not the server's Content-Type: what a remote host says of itself is not the customer's to read.
                return fail(new ManualFetchError('not_pdf', 'the manual link returned a file that is not a PDF', true));
              }
            }
            o.onProgress?.({ bytesReceived: received, ...(totalBytes !== undefined ? { totalBytes } : {}) });
          }),
        );
        res.on('error', fail);
        res.on('aborted', () =>
          fail(new ManualFetchError('network', `the manual's server closed the connection mid-download`, false)),
        );
        res.on(
          'end',
          guarded(() => {
            if (settled) return;
            if (!magicChecked)
              return fail(
                new ManualFetchError(
                  'not_pdf',
                  `the manual link returned ${received === 0 ? 'an empty file' : 'a file that is not a PDF'}`,
                  true,
                ),
              );
            if (totalBytes !== undefined && received < totalBytes) {
              return fail(
                new ManualFetchError('network', `the download ended early (${received} of ${totalBytes} bytes)`, false),
              );
            }
            const body = Buffer.concat(parts, received);
            settle(() =>
              resolve({
                kind: 'body',
                manual: { body, url: target.url.toString(), bytes: received, sha256: hash.digest('hex'), contentType },
              }),
            );
          }),
        );
      }),
    );
    req.end();
  });
}

/** Downloads one manual PDF under every guard above; throws ManualFetchError. */
export async function fetchManual(rawUrl: string, options: FetchManualOptions): Promise<FetchedManual> {
  const o = { ...FETCH_DEFAULTS, ...options };
  const allowed = hostEntries(options.allowedHosts);
  const explicit = hostEntries(options.explicitHosts ?? []);
  const explicitOrigins = new Set((options.explicitOrigins ?? []).map((origin) => new URL(origin).origin));

  const total = new AbortController();
  const totalTimer = setTimeout(
    () =>
      total.abort(
        new ManualFetchError(
          'timeout',
          `the manual did not finish downloading within ${Math.round(o.totalTimeoutMs / 1000)} s`,
          false,
        ),
      ),
    o.totalTimeoutMs,
  );
  const onCallerAbort = () =>
    total.abort(options.signal?.reason ?? new ManualFetchError('network', 'the download was cancelled', false));
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    let current = rawUrl;
    for (let redirects = 0; ; redirects++) {
      const target = checkUrl(current, allowed, explicit, explicitOrigins);
      const address = await resolveChecked(target.host, target.explicit);
      if (total.signal.aborted) throw networkError(total.signal.reason);
      const hop = await requestHop(target, address, o, total.signal);
      if (hop.kind === 'body') return hop.manual;
      if (redirects >= o.maxRedirects) {
        throw new ManualFetchError(
          'too_many_redirects',
          `the manual link redirected more than ${o.maxRedirects} times`,
          true,
        );
      }
      current = hop.location;
    }
  } finally {
    clearTimeout(totalTimer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}
