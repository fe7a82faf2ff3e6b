/**
 * A retargetable TCP proxy on loopback: the stable address an app connects to, like a Kubernetes
 * Service (the CloudNativePG `-rw` Service) in front of whichever Postgres is primary. `retarget`
 * sends new connections to another backend and cuts the existing ones, as the old pod going away does.
 * `blackhole` makes the backend vanish without a word: open connections stop carrying bytes and new
 * ones are accepted and never answered, as a node that lost power looks until TCP gives up.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface TcpProxy {
  host: string;
  port: number;
  target: ProxyTarget;
  /** New connections go to `target`; open ones are closed (their clients reconnect through the proxy). */
  retarget(target: ProxyTarget): void;
  /** Nothing passes any more, and nothing is closed, until the next `retarget`. */
  blackhole(): void;
  /** The next new connection reaches the backend only after `ms`: a slow connect, as on a loaded machine. */
  stallNext(ms: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(initial: ProxyTarget): Promise<TcpProxy> {
  let target = initial;
  let vanished = false;
  let stallMs = 0;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const server = createServer((client) => {
    if (vanished) {
      track(client);
      client.on('error', () => undefined);
      client.pause();
      return;
    }
    const stall = stallMs;
    stallMs = 0;
    if (stall > 0) {
      track(client);
      client.on('error', () => undefined);
      client.pause();
      setTimeout(() => {
        if (!client.destroyed) forward(client);
      }, stall);
      return;
    }
    forward(client);
  });
  const forward = (client: Socket) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    // A backend that refuses or drops the connection drops the client's too, as a dead pod behind a Service does.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy: no port');
  const proxy: TcpProxy = {
    host: '127.0.0.1',
    port: address.port,
    get target() {
      return target;
    },
    retarget(next) {
      target = next;
      vanished = false;
      for (const socket of open) socket.destroy();
    },
    stallNext(ms) {
      stallMs = ms;
    },
    blackhole() {
      vanished = true;
      for (const socket of open) {
        socket.unpipe();
        socket.pause();
      }
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
