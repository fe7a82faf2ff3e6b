/**
 * A TCP proxy that holds every chunk for `oneWayMs` in each direction, in order: a real network's
 * round trip (2 × oneWayMs) between the browser and the gateway, for HTTP and the WebSocket alike.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  url: string;
  close(): Promise<void>;
}

function delayed(from: net.Socket, to: net.Socket, oneWayMs: number): void {
  // setTimeout with one delay fires in the order it was set: the stream stays in order.
  from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), oneWayMs));
  from.on('end', () => setTimeout(() => to.end(), oneWayMs));
  from.on('error', () => to.destroy());
}

export async function startDelayProxy(target: string, oneWayMs: number): Promise<DelayProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    delayed(client, upstream, oneWayMs);
    delayed(upstream, client, oneWayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
