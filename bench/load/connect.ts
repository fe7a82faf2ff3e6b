/** Opening protocol-v1 sockets: a socket counts as open only once the server's `hello` arrived. */
import WebSocket from 'ws';

const HELLO_TIMEOUT_MS = 15_000;

/** Resolves with the socket after `hello`; rejects with the reason (refusal close, error, timeout). */
export function connectForHello(wsUrl: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { perMessageDeflate: false });
    const fail = (reason: string) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined); // terminate() on a connecting socket still emits one
      socket.terminate();
      reject(new Error(reason));
    };
    const timer = setTimeout(() => fail(`no hello within ${HELLO_TIMEOUT_MS} ms`), HELLO_TIMEOUT_MS);
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once('close', (code, reason) => fail(`closed ${code} ${reason.toString()}`.trim()));
    socket.once('message', (data) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      if (String(data).startsWith('{"type":"hello"')) resolve(socket);
      else fail(`expected hello, got ${String(data).slice(0, 120)}`);
    });
  });
}

export interface OpenedSockets {
  sockets: WebSocket[];
  failed: number;
  /** Failure reasons with their counts, e.g. {"closed 1013 server at capacity": 12}. */
  failures: Record<string, number>;
  seconds: number;
}

/** Opens `count` sockets, `batch` handshakes in flight at a time. */
export async function openSockets(
  wsUrl: string,
  count: number,
  batch: number,
  progress: (message: string) => void,
): Promise<OpenedSockets> {
  const sockets: WebSocket[] = [];
  const failures: Record<string, number> = {};
  let failed = 0;
  const start = performance.now();
  for (let opened = 0; opened < count; opened += batch) {
    const size = Math.min(batch, count - opened);
    const results = await Promise.allSettled(Array.from({ length: size }, () => connectForHello(wsUrl)));
    for (const result of results) {
      if (result.status === 'fulfilled') {
        sockets.push(result.value);
        // A held socket that dies later is counted by countOpen(); keep it from throwing meanwhile.
        result.value.on('error', () => undefined);
      } else {
        failed++;
        const reason = (result.reason as Error).message;
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
    if ((opened + size) % (batch * 10) === 0 || opened + size === count)
      progress(`${sockets.length} open, ${failed} failed`);
  }
  return { sockets, failed, failures, seconds: (performance.now() - start) / 1000 };
}

export const countOpen = (sockets: readonly WebSocket[]): number =>
  sockets.filter((s) => s.readyState === WebSocket.OPEN).length;

/** Closes every socket (terminate: no close handshake to wait for) and lets the server see it. */
export async function closeAll(sockets: readonly WebSocket[]): Promise<void> {
  for (const socket of sockets) socket.terminate();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}
