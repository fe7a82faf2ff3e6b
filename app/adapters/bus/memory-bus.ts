import { EventEmitter } from 'node:events';
import type { Bus } from './bus.js';

export function createMemoryBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(channel, message) {
      // Same serialisation as Redis, so a handler can never mutate the publisher's object.
      const copy: unknown = JSON.parse(JSON.stringify(message));
      queueMicrotask(() => emitter.emit(channel, copy));
    },
    async subscribe(channel, handler) {
      emitter.on(channel, handler);
      return async () => {
        emitter.off(channel, handler);
      };
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
