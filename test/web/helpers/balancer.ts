/**
 * A load balancer in front of several gateways, as a Kubernetes Service is: each new request or
 * WebSocket goes to the first backend whose /readyz answered 200 at the last probe (every 100 ms), so
 * a draining gateway (503) stops receiving new sockets while its open ones stay up. HTTP is forwarded
 * as is (the Host header too, so the gateway's Origin check sees the balancer's own origin); a
 * WebSocket upgrade is piped as raw bytes. `upgrades` records which backend took each socket.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  /** The backend base URL of every WebSocket upgrade, in order. */
  upgrades: string[];
  close(): Promise<void>;
}

export async function startBalancer(backends: string[]): Promise<Balancer> {
  const ready = new Set<string>(backends);
  const probe = async () => {
    await Promise.all(
      backends.map(async (backend) => {
        const ok = await fetch(`${backend}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) ready.add(backend);
        else ready.delete(backend);
      }),
    );
  };
  await probe();
  const timer = setInterval(() => void probe(), 100);
  const pick = () => backends.find((b) => ready.has(b)) ?? backends[0]!;
  const upgrades: string[] = [];
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    const target = new URL(pick());
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, client: net.Socket, head: Buffer) => {
    const backend = pick();
    upgrades.push(backend);
    const target = new URL(backend);
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upgrades,
    async close() {
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
