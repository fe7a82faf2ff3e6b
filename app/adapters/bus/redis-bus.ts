/** Redis pub/sub: one subscriber connection per instance, fanned out to local handlers. */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisReconnectError, subscriberCommand } from '../redis/subscriber.js';
import type { Bus, BusHandler } from './bus.js';

interface Subscription {
  handlers: Set<BusHandler>;
  /** Settles when Redis confirmed the SUBSCRIBE; every handler of the channel waits for it. */
  confirmed: Promise<unknown>;
}

export function createRedisBus(publisher: Redis, subscriber: Redis, log?: Logger): Bus {
  const channels = new Map<string, Subscription>();
  subscriber.on('message', (channel: string, payload: string) => {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      log?.warn({ channel }, 'dropped a bus message that is not JSON');
      return;
    }
    for (const handler of channels.get(channel)?.handlers ?? []) handler(message);
  });

  // ioredis resubscribes, once back, every channel its last ready connection had, including those whose
  // UNSUBSCRIBE a reconnect failed: they are left again then, unless a handler subscribed meanwhile.
  const leftWhileDown = new Set<string>();
  subscriber.on('ready', () => {
    const left = [...leftWhileDown].filter((channel) => !channels.has(channel));
    leftWhileDown.clear();
    for (const channel of left)
      unsubscribe(channel).catch((error: unknown) => log?.warn({ err: error, channel }, 'bus unsubscribe failed'));
  });

  async function unsubscribe(channel: string): Promise<void> {
    try {
      await subscriberCommand(subscriber, () => subscriber.unsubscribe(channel));
    } catch (error) {
      if (!(error instanceof RedisReconnectError)) throw error;
      leftWhileDown.add(channel);
    }
  }

  function open(channel: string): Subscription {
    const subscription: Subscription = {
      handlers: new Set(),
      confirmed: subscriberCommand(subscriber, () => subscriber.subscribe(channel)),
    };
    channels.set(channel, subscription);
    // A failed SUBSCRIBE must not leave an entry behind that later subscribers would take as subscribed.
    subscription.confirmed.catch(() => {
      if (channels.get(channel) === subscription) channels.delete(channel);
    });
    return subscription;
  }

  return {
    async publish(channel, message) {
      await publisher.publish(channel, JSON.stringify(message));
    },
    async subscribe(channel, handler) {
      let subscription: Subscription;
      // The last handler may leave (and UNSUBSCRIBE) while this one waits for the confirmation: start over.
      do {
        subscription = channels.get(channel) ?? open(channel);
        await subscription.confirmed;
      } while (channels.get(channel) !== subscription);
      subscription.handlers.add(handler);
      return async () => {
        subscription.handlers.delete(handler);
        if (subscription.handlers.size === 0 && channels.get(channel) === subscription) {
          channels.delete(channel);
          await unsubscribe(channel);
        }
      };
    },
    async close() {
      channels.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
