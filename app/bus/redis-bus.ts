/** Redis pub/sub: one subscriber connection per instance, fanned out to local handlers. */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Bus, BusHandler } from './bus.js';

export function createRedisBus(publisher: Redis, subscriber: Redis, log?: Logger): Bus {
  const handlers = new Map<string, Set<BusHandler>>();
  subscriber.on('message', (channel: string, payload: string) => {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      log?.warn({ channel }, 'dropped a bus message that is not JSON');
      return;
    }
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });
  return {
    async publish(channel, message) {
      await publisher.publish(channel, JSON.stringify(message));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await subscriber.subscribe(channel);
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(channel);
        current?.delete(handler);
        if (current && current.size === 0) {
          handlers.delete(channel);
          await subscriber.unsubscribe(channel);
        }
      };
    },
    async close() {
      handlers.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
