/**
 * The Redis bus through a Sentinel failover: subscribes and unsubscribes run back to back on several
 * channels while the master is SIGKILLed. Shown: every failure of a (un)subscribe is a dependency being
 * down (`unavailable` for the customer, never `internal`), and every subscription that succeeded and is
 * still held receives what is published after the failover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand, startRedisSentinel, type SentinelCluster } from '../harness/index.js';
import type { Bus } from '../../app/adapters/bus/bus.js';
import { createRedisBus } from '../../app/adapters/bus/redis-bus.js';
import { isDependencyDown } from '../../app/core/ports.js';
import { connectRedis } from '../../app/adapters/redis/connect.js';
import { sleep } from './helpers/load.js';

let cluster: SentinelCluster;
let bus: Bus;

beforeAll(async () => {
  cluster = await startRedisSentinel({ downAfterMs: 1_000 });
  const config = {
    kind: 'sentinel' as const,
    sentinels: cluster.sentinels.map((s) => ({ host: s.host, port: s.port })),
    masterName: cluster.masterName,
    password: undefined,
    sentinelPassword: undefined,
  };
  bus = createRedisBus(connectRedis(config, 'publisher'), connectRedis(config, 'subscriber'));
});
afterAll(async () => {
  await bus?.close();
  await cluster?.stop();
});

describe('redis bus through a sentinel failover', () => {
  it('fails a (un)subscribe only as a dependency down and keeps every subscription it confirmed', async () => {
    const unexpected: string[] = [];
    let down = 0;
    let done = 0;
    const held = new Map<string, unknown[]>();
    let churning = true;
    // Each (un)subscribe starts on its own clock, as asks do, so some start while a re-established
    // connection is still in its handshake.
    const cycle = async (channel: string, keep: boolean) => {
      const received: unknown[] = [];
      try {
        const stop = await bus.subscribe(channel, (m) => received.push(m));
        done++;
        if (keep) held.set(channel, received);
        else await stop();
      } catch (error) {
        if (isDependencyDown(error)) down++;
        else unexpected.push((error as Error).message);
      }
    };
    const cycles: Promise<void>[] = [];
    const churn = (async () => {
      // Every fourth channel is kept to check delivery after the failover; the others leave at once.
      for (let i = 0; churning; i++) {
        cycles.push(cycle(`c-${i}`, i % 4 === 0));
        await sleep(1);
      }
    })();
    await sleep(500);
    const previous = await cluster.currentMaster();
    await cluster.nodeAt(previous).kill('SIGKILL');
    const next = await cluster.waitForFailover(previous);
    await sleep(2_000);
    churning = false;
    await churn;
    await Promise.all(cycles);
    for (const channel of held.keys()) await bus.publish(channel, channel);
    await sleep(500);
    const lost = [...held].filter(([channel, received]) => !received.includes(channel)).map(([channel]) => channel);
    // A channel left while the connection was down must not come back with ioredis's resubscription.
    const serverChannels = (await redisCommand(next.host, next.port, 'PUBSUB', 'CHANNELS', 'c-*')) as string[];
    const leaked = serverChannels.filter((channel) => !held.has(channel));
    const unexpectedByMessage: Record<string, number> = {};
    for (const message of unexpected) unexpectedByMessage[message] = (unexpectedByMessage[message] ?? 0) + 1;
    console.log(
      JSON.stringify({
        drill: 'bus-failover',
        subscribed: done,
        down,
        held: held.size,
        lost: lost.length,
        leaked: leaked.length,
        unexpected: unexpectedByMessage,
      }),
    );
    expect(unexpectedByMessage).toEqual({});
    expect(lost).toEqual([]);
    expect(leaked).toEqual([]);
    expect(done).toBeGreaterThan(0);
  });
});
