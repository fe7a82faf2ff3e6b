/** Pub/sub commands on a subscriber connection that ioredis may be re-establishing at any moment. */
import type { Redis } from 'ioredis';

/**
 * A command that failed because its connection was being re-established (a failover, a restart): the
 * dependency was down for a moment, not a bug. `isDependencyDown` recognises it by name.
 */
export class RedisReconnectError extends Error {
  constructor(cause: unknown) {
    super(`redis connection was re-established during the command: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = 'RedisReconnectError';
  }
}

const closes = new WeakMap<Redis, { count: number }>();

function closeCounter(client: Redis): { count: number } {
  let counter = closes.get(client);
  if (!counter) {
    const created = { count: 0 };
    client.on('close', () => created.count++);
    closes.set(client, created);
    counter = created;
  }
  return counter;
}

/**
 * Sends SUBSCRIBE/UNSUBSCRIBE (`send`) on `client` once it is past its handshake.
 *
 * ioredis writes (UN)SUBSCRIBE at once while a new connection is in status `connect` (they carry the
 * `loading` flag), before its ready check; the SUBSCRIBE reply puts the connection in subscriber mode,
 * the ready check's INFO is then refused ("Connection in subscriber mode, only subscriber commands may
 * be used"), and ioredis fails every queued command with that error and reconnects. It also resubscribes
 * only what the last *ready* connection had, so a subscription made in that window was lost. Waiting
 * for `ready` (or `close`, after which the offline queue holds the command until the next `ready`) sends
 * it after the handshake and after ioredis's own resubscription.
 *
 * A command that still fails while the connection was not ready, or that closed meanwhile, failed
 * because of the reconnect: it rejects with a `RedisReconnectError`.
 */
export async function subscriberCommand<T>(client: Redis, send: () => Promise<T>): Promise<T> {
  const counter = closeCounter(client);
  while (client.status === 'connect') await nextStatusChange(client);
  const closesBefore = counter.count;
  const statusBefore = client.status;
  try {
    return await send();
  } catch (error) {
    if (statusBefore !== 'ready' || client.status !== 'ready' || counter.count !== closesBefore) {
      throw new RedisReconnectError(error);
    }
    throw error;
  }
}

function nextStatusChange(client: Redis): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      client.off('ready', done);
      client.off('close', done);
      client.off('end', done);
      resolve();
    };
    client.on('ready', done);
    client.on('close', done);
    client.on('end', done);
  });
}
