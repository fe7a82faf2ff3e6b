/**
 * A manual host that misbehaves on purpose, speaking raw HTTP/1.1 over TCP so it can send what a
 * well-behaved server library refuses to: malformed redirects, header floods, endless bodies,
 * contradictory or false lengths and broken chunked encoding. Each path is one attack.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

const PDF_START = '%PDF-1.7\n';

function head(status: string, headers: Record<string, string | number> = {}): string {
  return `HTTP/1.1 ${status}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

/** Writes 64 KB blocks for as long as the client reads them. */
function endless(socket: Socket): void {
  const block = Buffer.alloc(64 * 1024, 0x41);
  const pump = () => {
    while (!socket.destroyed) if (!socket.write(block)) return void socket.once('drain', pump);
  };
  pump();
}

/** path → what the host does with the request. */
export const HOSTILE_PATHS: Record<string, (socket: Socket) => void> = {
  '/redirect-bracket.pdf': (s) => s.end(head('302 Found', { location: 'http://[', 'content-length': 0 })),
  '/redirect-bad-port.pdf': (s) =>
    s.end(head('301 Moved Permanently', { location: 'http://127.0.0.1:99999/x.pdf', 'content-length': 0 })),
  '/redirect-nul.pdf': (s) => s.end(head('302 Found', { location: 'http://a\u0000b/x.pdf', 'content-length': 0 })),
  '/redirect-scheme.pdf': (s) =>
    s.end(head('307 Temporary Redirect', { location: 'gopher://x/', 'content-length': 0 })),
  '/header-flood.pdf': (s) => {
    s.write('HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\n');
    for (let i = 0; i < 5_000; i++) s.write(`x-flood-${i}: ${'y'.repeat(100)}\r\n`);
    s.end('\r\n');
  },
  '/endless-body.pdf': (s) => {
    s.write(head('200 OK', { 'content-type': 'application/pdf' }) + PDF_START);
    endless(s);
  },
  '/content-length-conflict.pdf': (s) =>
    s.end(
      `HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: 10\r\ncontent-length: 2000\r\n\r\n${PDF_START}`,
    ),
  '/content-length-negative.pdf': (s) =>
    s.end(head('200 OK', { 'content-type': 'application/pdf', 'content-length': -5 }) + PDF_START),
  '/content-length-garbage.pdf': (s) =>
    s.end(head('200 OK', { 'content-type': 'application/pdf', 'content-length': '12abc' }) + PDF_START),
  '/content-length-short.pdf': (s) =>
    s.end(head('200 OK', { 'content-type': 'application/pdf', 'content-length': 100_000 }) + PDF_START),
  '/content-length-and-chunked.pdf': (s) =>
    s.end(
      head('200 OK', { 'content-type': 'application/pdf', 'content-length': 9, 'transfer-encoding': 'chunked' }) +
        `9\r\n${PDF_START}\r\n0\r\n\r\n`,
    ),
  '/chunked-invalid.pdf': (s) =>
    s.end(
      head('200 OK', { 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' }) +
        `9\r\n${PDF_START}\r\nZZZ\r\nnot a chunk\r\n`,
    ),
  '/chunked-endless.pdf': (s) => {
    s.write(head('200 OK', { 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' }));
    s.write(`9\r\n${PDF_START}\r\n`);
    const chunk = `10000\r\n${'A'.repeat(0x10000)}\r\n`;
    const pump = () => {
      while (!s.destroyed) if (!s.write(chunk)) return void s.once('drain', pump);
    };
    pump();
  },
  '/garbage-status.pdf': (s) => s.end('HELLO THERE\r\n\r\n%PDF-'),
};

export interface HostileHost {
  base: string;
  close(): Promise<void>;
}

export async function startHostileHost(): Promise<HostileHost> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // the client hanging up on an endless body is the point
    let request = '';
    socket.on('data', (chunk: Buffer) => {
      if (request.includes('\r\n\r\n')) return;
      request += chunk.toString('latin1');
      if (!request.includes('\r\n\r\n')) return;
      const path = request.split(' ')[1] ?? '/';
      const attack = HOSTILE_PATHS[path];
      if (attack) attack(socket);
      else socket.end(head('404 Not Found', { 'content-length': 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
