/**
 * Measures Redis write availability through Sentinel as a client sees it: a SET every `intervalMs` on
 * a fresh-per-failure ioredis Sentinel client, each attempt bounded, every success timestamped. The
 * outage is the time from the fault to the first write that succeeds after it.
 */
import { Redis } from 'ioredis';

export interface WriteProbe {
  /** Timestamps (ms) of successful writes. */
  successes: number[];
  failures: number;
  /**
   * Ms from `at` to the first success of a write sent after it; undefined while none has. A write sent
   * before the fault and acknowledged just after it says nothing about recovery.
   */
  resumedAfter(at: number): number | undefined;
  stop(): Promise<void>;
}

export function startWriteProbe(
  sentinels: { host: string; port: number }[],
  masterName: string,
  intervalMs = 50,
): WriteProbe {
  const client = new Redis({
    sentinels,
    name: masterName,
    // Each attempt fails fast rather than waiting in ioredis' offline queue: the loop is the retry.
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    connectTimeout: 250,
    retryStrategy: () => 50,
    sentinelRetryStrategy: () => 50,
  });
  client.on('error', () => undefined); // failures are counted by the loop
  const probe: WriteProbe = {
    successes: [],
    failures: 0,
    resumedAfter(at) {
      const first = sent.find((w) => w.sentAt > at);
      return first === undefined ? undefined : first.doneAt - at;
    },
    stop: async () => {
      running = false;
      await loop;
      client.disconnect();
    },
  };
  /** Each successful write: when it was sent and when it was acknowledged. */
  const sent: { sentAt: number; doneAt: number }[] = [];
  let running = true;
  const loop = (async () => {
    let n = 0;
    while (running) {
      const sentAt = Date.now();
      try {
        await client.set('drill:write-probe', String(++n));
        probe.successes.push(Date.now());
        sent.push({ sentAt, doneAt: Date.now() });
      } catch {
        probe.failures += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return probe;
}
