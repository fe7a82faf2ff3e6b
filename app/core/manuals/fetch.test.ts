import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchManual, type FetchManualOptions, type FetchProgress } from './fetch.js';
import { ManualFetchError } from './errors.js';
import { HOSTILE_PATHS, startHostileHost, type HostileHost } from '../../../test/manuals/helpers/hostile-host.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 0x20), Buffer.from('\n%%EOF\n')]);

let server: http.Server;
/** Another port of the same host, serving the same PDF: a redirect there must not be followed. */
let otherPort: http.Server;
const otherHits: string[] = [];
let hostile: HostileHost;
let base: string;
let port: number;
let oversizedBytesWritten = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    if (path === '/ok.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF.length });
      res.end(PDF);
    } else if (path === '/missing.pdf') {
      res.writeHead(404).end('not here');
    } else if (path === '/busy.pdf') {
      res.writeHead(503).end('busy');
    } else if (path === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body>Please log in</body></html>');
    } else if (path === '/huge-declared.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': 900 * 1024 * 1024 });
      res.write('%PDF-1.7\n');
    } else if (path === '/huge-streamed.pdf') {
      // No Content-Length: only counting while streaming can stop this one.
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.write('%PDF-1.7\n');
      const block = Buffer.alloc(64 * 1024, 0x41);
      const pump = () => {
        while (!res.destroyed && oversizedBytesWritten < 64 * 1024 * 1024) {
          oversizedBytesWritten += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
    } else if (path === '/stall.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.write('%PDF-1.7\n'); // …and then nothing, connection left open
    } else if (path === '/to-private') {
      // "localhost" is an allowed host in the test but resolves to loopback: must be refused on the hop.
      res.writeHead(302, { location: `http://localhost:${port}/ok.pdf` }).end();
    } else if (path === '/to-other-port') {
      res.writeHead(302, { location: `http://127.0.0.1:${(otherPort.address() as AddressInfo).port}/ok.pdf` }).end();
    } else if (path === '/to-mapped') {
      res.writeHead(301, { location: `http://[::ffff:127.0.0.1]:${port}/ok.pdf` }).end();
    } else if (path.startsWith('/loop/')) {
      const n = Number(path.slice('/loop/'.length));
      res.writeHead(302, { location: `/loop/${n + 1}` }).end();
    } else if (path === '/two-hops') {
      res.writeHead(307, { location: '/loop-end' }).end();
    } else if (path === '/loop-end') {
      res.writeHead(302, { location: '/ok.pdf' }).end();
    } else {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  otherPort = http.createServer((req, res) => {
    otherHits.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF);
  });
  await new Promise<void>((resolve) => otherPort.listen(0, '127.0.0.1', resolve));
  hostile = await startHostileHost();
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await hostile?.close();
  for (const s of [server, otherPort]) {
    s?.closeAllConnections();
    await new Promise((resolve) => s?.close(resolve));
  }
});

// 127.0.0.1 is loopback: allowed only because it is named explicitly, with its port, as MANUAL_HOSTS would.
const opts = (extra: Partial<FetchManualOptions> = {}): FetchManualOptions => ({
  allowedHosts: [`localhost:${port}`, `[::ffff:127.0.0.1]:${port}`, '10.1.2.3'],
  explicitHosts: [`127.0.0.1:${port}`, new URL(hostile.base).host],
  ...extra,
});

async function failure(url: string, extra: Partial<FetchManualOptions> = {}): Promise<ManualFetchError> {
  const error = await fetchManual(url, opts(extra)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ManualFetchError);
  return error as ManualFetchError;
}

describe('fetchManual', () => {
  it('downloads a PDF with progress, size and hash', async () => {
    const progress: FetchProgress[] = [];
    const manual = await fetchManual(`${base}/ok.pdf`, opts({ onProgress: (p) => progress.push(p) }));
    expect(manual.bytes).toBe(PDF.length);
    expect(manual.body.equals(PDF)).toBe(true);
    expect(manual.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(progress.at(-1)).toEqual({ bytesReceived: PDF.length, totalBytes: PDF.length });
    expect(progress.length).toBeGreaterThan(0);
  });

  it('follows a redirect within the limit', async () => {
    const manual = await fetchManual(`${base}/two-hops`, opts());
    expect(manual.url).toBe(`${base}/ok.pdf`);
  });

  it('404 is permanent, with a reason a person understands', async () => {
    const error = await failure(`${base}/missing.pdf`);
    expect(error.code).toBe('not_found');
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/no longer at its address \(HTTP 404\)/);
  });

  it('5xx is retryable', async () => {
    const error = await failure(`${base}/busy.pdf`);
    expect(error.code).toBe('http_error');
    expect(error.permanent).toBe(false);
  });

  it('an HTML page is not a PDF (permanent)', async () => {
    const error = await failure(`${base}/page.html`);
    expect(error.code).toBe('not_pdf');
    expect(error.permanent).toBe(true);
    // What the server says of its body (text/html; charset=utf-8) is not repeated to the customer.
    expect(error.message).toBe('the manual link returned a file that is not a PDF');
  });

  it('refuses an oversized body from Content-Length before reading it', async () => {
    const error = await failure(`${base}/huge-declared.pdf`);
    expect(error.code).toBe('too_large');
    expect(error.permanent).toBe(true);
  });

  it('stops an oversized streamed body as soon as the cap is passed', async () => {
    const maxBytes = 1024 * 1024;
    const error = await failure(`${base}/huge-streamed.pdf`, { maxBytes });
    expect(error.code).toBe('too_large');
    // The server meant to send 64 MB; aborting early means it got nowhere near that.
    expect(oversizedBytesWritten).toBeLessThan(16 * 1024 * 1024);
  });

  it('a stalled server times out (retryable)', async () => {
    const error = await failure(`${base}/stall.pdf`, { idleTimeoutMs: 300 });
    expect(error.code).toBe('timeout');
    expect(error.permanent).toBe(false);
  });

  it('the total timeout bounds a slow download', async () => {
    const error = await failure(`${base}/stall.pdf`, { idleTimeoutMs: 60_000, totalTimeoutMs: 400 });
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/did not finish downloading/);
  });

  it('a redirect to a host that resolves to loopback is blocked', async () => {
    const before = hits.length;
    const error = await failure(`${base}/to-private`);
    expect(error.code).toBe('blocked_address');
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/localhost.*loopback/);
    expect(hits.slice(before)).toEqual(['/to-private']); // the blocked hop never reached the server
  });

  it('an IPv4-mapped IPv6 address is judged as the IPv4 it hides', async () => {
    const error = await failure(`${base}/to-mapped`);
    expect(error.code).toBe('blocked_address');
  });

  it('a private address is refused before any connection', async () => {
    const error = await failure('http://10.1.2.3/manual.pdf', { connectTimeoutMs: 60_000 });
    expect(error.code).toBe('blocked_address');
    expect(error.message).toMatch(/private/);
  });

  it('more than 3 redirects fail', async () => {
    const before = hits.length;
    const error = await failure(`${base}/loop/0`);
    expect(error.code).toBe('too_many_redirects');
    expect(error.permanent).toBe(true);
    expect(hits.slice(before)).toEqual(['/loop/0', '/loop/1', '/loop/2', '/loop/3']);
  });

  it('a host:port entry allows that port; a host alone only its default ports (80, 443)', async () => {
    expect((await fetchManual(`${base}/ok.pdf`, opts({ explicitHosts: [`127.0.0.1:${port}`] }))).bytes).toBe(
      PDF.length,
    );
    const hostOnly = await failure(`${base}/ok.pdf`, { explicitHosts: ['127.0.0.1'] });
    expect(hostOnly.code).toBe('blocked_host');
    expect(hostOnly.message).toMatch(/allowed manual host and port/);
  });

  it('a redirect to another port of an allowed host is refused before it connects', async () => {
    const error = await failure(`${base}/to-other-port`);
    expect(error.code).toBe('blocked_host');
    expect(error.permanent).toBe(true);
    // The same file on that port is fetched when its port is named (the control).
    const other = `127.0.0.1:${(otherPort.address() as AddressInfo).port}`;
    expect(otherHits).toEqual([]);
    const named = await fetchManual(`${base}/to-other-port`, opts({ explicitHosts: [`127.0.0.1:${port}`, other] }));
    expect(named.bytes).toBe(PDF.length);
    expect(otherHits).toEqual(['/ok.pdf']);
  });

  it('only http(s) to allowed hosts', async () => {
    expect((await failure('file:///etc/passwd')).code).toBe('blocked_url');
    expect((await failure('ftp://127.0.0.1/x.pdf')).code).toBe('blocked_url');
    const other = await failure('http://example.invalid/manual.pdf');
    expect(other.code).toBe('blocked_host');
    expect(other.permanent).toBe(true);
  });

  // Regression (issue 12, HIGH 1): `Location: http://[` made `new URL()` throw inside the response
  // handler, an uncaught exception that killed the process. Every hostile answer must instead reject
  // the download with a reason; only a body that ends early may be retried.
  it.each(Object.keys(HOSTILE_PATHS))(
    'a hostile host answering %s fails the download, never the process',
    async (path) => {
      const error = await failure(`${hostile.base}${path}`, { maxBytes: 256 * 1024, totalTimeoutMs: 10_000 });
      expect(error.message.length).toBeGreaterThan(10);
      expect(error.permanent).toBe(path !== '/content-length-short.pdf');
      if (path.startsWith('/redirect-')) expect(error.code).toMatch(/^(http_error|blocked_url)$/);
    },
  );

  it('a throw in a caller-supplied callback rejects the download instead of escaping', async () => {
    const error = await failure(`${base}/ok.pdf`, {
      onProgress: () => {
        throw new TypeError('progress sink broke');
      },
    });
    expect(error.code).toBe('http_error');
    expect(error.permanent).toBe(true);
  });
});

// Issue 12 finding 7: which socket error a connection met (refused = closed port, reset = something
// listens) must not reach the manual frame, or a manual host can scan ports through the fetcher.
describe('fetchManual: connection failures read alike', () => {
  it('says the same for a refused and a reset connection, keeping the socket code only as the cause', async () => {
    const resetter = (await import('node:net')).createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => resetter.listen(0, '127.0.0.1', resolve));
    const resetPort = (resetter.address() as AddressInfo).port;
    const closedPort = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const named = { explicitHosts: [`127.0.0.1:${closedPort}`, `127.0.0.1:${resetPort}`] };
    try {
      const refused = await failure(`http://127.0.0.1:${closedPort}/manual.pdf`, named);
      const reset = await failure(`http://127.0.0.1:${resetPort}/manual.pdf`, named);
      expect((refused.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
      expect((reset.cause as NodeJS.ErrnoException).code).toBe('ECONNRESET');
      expect(refused.message).toBe(reset.message);
      expect(refused.message).not.toMatch(/E[A-Z]{4,}/);
    } finally {
      resetter.close();
    }
  });

  it('trusts an explicit origin on its own port only', async () => {
    const origin = { explicitHosts: [], allowedHosts: [], explicitOrigins: [base] };
    expect((await fetchManual(`${base}/ok.pdf`, origin)).bytes).toBe(PDF.length);
    const otherPort = await failure(`http://127.0.0.1:${port + 1}/ok.pdf`, origin);
    expect(otherPort.code).toBe('blocked_host');
  });
});
