/**
 * A load-generating protocol-v1 client for drills: types continuously and asks questions, and tracks
 * every keystroke (answered by a prediction?) and every ask (answer_done, error frame, or still
 * pending) with timestamps, so a drill can say what happened to each request during a fault.
 */
import type { ServerFrame } from '../../../app/shared/protocol.js';
import { TestClient } from '../../helpers/ws-client.js';

export interface AskRecord {
  id: string;
  productId: string;
  sentAt: number;
  settledAt?: number;
  outcome?: 'done' | 'error';
  code?: string;
  message?: string;
}

export interface KeystrokeRecord {
  seq: number;
  sentAt: number;
  answeredAt?: number;
}

/** Questions the demo manuals answer; a suffix makes each one new, so it misses the answer cache and reaches the database. */
export const DEMO_QUESTIONS = [
  'how do I restore the factory settings',
  'how do I sync it over MIDI',
  'how do I connect it',
  'what are the specifications',
];

export class LoadClient {
  readonly asks = new Map<string, AskRecord>();
  readonly keystrokes = new Map<number, KeystrokeRecord>();
  private readonly timers: NodeJS.Timeout[] = [];
  private seq = 0;
  private asked = 0;

  private constructor(
    readonly client: TestClient,
    readonly name: string,
  ) {
    client.socket.on('message', (data) => this.observe(JSON.parse(data.toString()) as ServerFrame));
  }

  static async connect(wsUrl: string, name: string): Promise<LoadClient> {
    const client = await TestClient.connect(wsUrl);
    await client.next('hello');
    return new LoadClient(client, name);
  }

  private observe(frame: ServerFrame): void {
    const now = Date.now();
    if (frame.type === 'prediction') {
      const keystroke = this.keystrokes.get(frame.seq);
      if (keystroke && keystroke.answeredAt === undefined) keystroke.answeredAt = now;
    } else if (frame.type === 'answer_done') {
      this.settle(frame.id, now, 'done');
    } else if (frame.type === 'error' && frame.ref !== undefined) {
      this.settle(frame.ref, now, 'error', frame.code, frame.message);
    }
  }

  private settle(id: string, at: number, outcome: 'done' | 'error', code?: string, message?: string): void {
    const ask = this.asks.get(id);
    if (!ask || ask.outcome) return;
    Object.assign(ask, { settledAt: at, outcome, ...(code ? { code, message } : {}) });
  }

  /** One keystroke every `intervalMs`, cycling through `texts`. */
  startTyping(intervalMs: number, texts: readonly string[]): void {
    this.timers.push(
      setInterval(() => {
        this.seq += 1;
        this.keystrokes.set(this.seq, { seq: this.seq, sentAt: Date.now() });
        this.client.send({ type: 'typing', seq: this.seq, text: texts[this.seq % texts.length]! });
      }, intervalMs),
    );
  }

  /** Sends one ask with a fresh id and a question no one asked before; returns the id. */
  ask(
    productId: string,
    question = `${DEMO_QUESTIONS[this.asked % DEMO_QUESTIONS.length]} ${this.name} ${this.asked + 1}`,
  ): string {
    this.asked += 1;
    const id = `${this.name}-ask-${this.asked}`;
    this.asks.set(id, { id, productId, sentAt: Date.now() });
    this.client.send({ type: 'ask', id, productId, question });
    return id;
  }

  /** One ask every `intervalMs` about the given products in turn, at most `maxOutstanding` unsettled at once. */
  startAsking(intervalMs: number, productIds: readonly string[], maxOutstanding = 3): void {
    let turn = 0;
    this.timers.push(
      setInterval(() => {
        if (this.pending().length >= maxOutstanding) return;
        this.ask(productIds[turn++ % productIds.length]!);
      }, intervalMs),
    );
  }

  stopLoad(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  pending(): AskRecord[] {
    return [...this.asks.values()].filter((a) => !a.outcome);
  }

  close(): void {
    this.stopLoad();
    this.client.close();
  }
}

/** Counts of asks by outcome (errors by code). */
export function askSummary(asks: readonly AskRecord[]): {
  asked: number;
  done: number;
  errors: Record<string, number>;
  pending: number;
} {
  const errors: Record<string, number> = {};
  for (const ask of asks) if (ask.outcome === 'error') errors[ask.code ?? '?'] = (errors[ask.code ?? '?'] ?? 0) + 1;
  return {
    asked: asks.length,
    done: asks.filter((a) => a.outcome === 'done').length,
    errors,
    pending: asks.filter((a) => !a.outcome).length,
  };
}

export function allAsks(clients: readonly LoadClient[]): AskRecord[] {
  return clients.flatMap((c) => [...c.asks.values()]);
}

export function allKeystrokes(clients: readonly LoadClient[]): KeystrokeRecord[] {
  return clients.flatMap((c) => [...c.keystrokes.values()]);
}

/** Waits until no client has an unsettled ask, or the timeout passes (the caller then asserts on what is left). */
export async function waitForAsksToSettle(clients: readonly LoadClient[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && clients.some((c) => c.pending().length > 0)) await sleep(100);
}

/** Milliseconds from `from` to the first ask sent at or after it that completed; undefined if none did. */
export function firstAnswerAfter(asks: readonly AskRecord[], from: number): number | undefined {
  const times = asks.filter((a) => a.sentAt >= from && a.outcome === 'done').map((a) => a.settledAt! - from);
  return times.length > 0 ? Math.min(...times) : undefined;
}

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How long after `since` an ask for `productId` first completes: a fresh client asks every 250 ms until
 * one answer is done or `withinMs` has passed since `since` (then undefined).
 */
export async function timeToFirstAnswer(
  wsUrl: string,
  name: string,
  productId: string,
  since: number,
  withinMs: number,
): Promise<number | undefined> {
  const probe = await LoadClient.connect(wsUrl, name);
  try {
    while (Date.now() - since < withinMs) {
      probe.ask(productId);
      await sleep(250);
      const done = [...probe.asks.values()].find((a) => a.outcome === 'done');
      if (done) return done.settledAt! - since;
    }
    return undefined;
  } finally {
    probe.close();
  }
}
