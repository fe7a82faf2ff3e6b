/**
 * Each customer's share of manual preparation, per session and per client address: at most a few
 * manuals of theirs in flight and a few started per minute. Beyond it a `select` still gets its
 * predictions and answers, but the manual waits (`queued`, `queuedReason: fair_share`) until a share frees, so one
 * socket selecting hundreds of products cannot fill the queue that every customer's manuals go through.
 * The counts are this instance's: with N gateways an address gets at most N shares.
 */
import type { Requester } from '../ports.js';

export interface FairnessLimits {
  inFlightPerSession: number;
  inFlightPerAddress: number;
  startsPerMinutePerSession: number;
  startsPerMinutePerAddress: number;
}

export type Admission =
  | { ok: true; ticket: Ticket }
  | { ok: false; exceeded: 'in_flight' | 'per_minute'; retryInMs: number };

/** A share held between `admit` and `started` / `released`, so concurrent selects cannot all pass at once. */
export interface Ticket {
  readonly keys: readonly string[];
  readonly at: number;
  state: 'held' | 'started' | 'released';
}

const MINUTE_MS = 60_000;
/** How soon a requester held back for manuals in flight is checked again: jobs end at any moment. */
export const IN_FLIGHT_RECHECK_MS = 2_000;

interface Share {
  /** Manuals this requester started that may still be in flight (pruned when the share looks full). */
  inFlight: Set<string>;
  /** Admitted, not yet started or released. */
  reserved: Set<Ticket>;
  /** When each of the last minute's starts happened, oldest first. */
  starts: number[];
  lastSeen: number;
}

export class ManualFairness {
  private readonly shares = new Map<string, Share>();
  private lastSweep = 0;

  constructor(
    private readonly limits: FairnessLimits,
    /** Whether a manual is still queued, fetching or indexing. */
    private readonly stillInFlight: (manualId: string) => Promise<boolean>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether the requester may start one more manual now. A yes holds a share at once (the ticket):
   * hand it to `started` once the job is queued, or to `released` if it was not.
   */
  async admit(requester: Requester): Promise<Admission> {
    const keys = [`s:${requester.sessionId}`, ...(requester.address !== undefined ? [`a:${requester.address}`] : [])];
    const limits = [
      { inFlight: this.limits.inFlightPerSession, perMinute: this.limits.startsPerMinutePerSession },
      { inFlight: this.limits.inFlightPerAddress, perMinute: this.limits.startsPerMinutePerAddress },
    ];
    // Forget manuals that have finished, where a share looks full (one status read per manual held).
    for (const [i, key] of keys.entries()) {
      const share = this.share(key, this.now());
      if (share.inFlight.size + share.reserved.size < limits[i]!.inFlight) continue;
      for (const id of [...share.inFlight]) if (!(await this.stillInFlight(id))) share.inFlight.delete(id);
    }
    // From here on synchronous: the verdict and the reservation cannot interleave with another admit.
    const now = this.now();
    this.sweep(now);
    const shares = keys.map((key) => this.share(key, now));
    for (const [i, share] of shares.entries()) {
      while (share.starts.length > 0 && share.starts[0]! <= now - MINUTE_MS) share.starts.shift();
      if (share.starts.length >= limits[i]!.perMinute)
        return { ok: false, exceeded: 'per_minute', retryInMs: share.starts[0]! + MINUTE_MS - now };
      if (share.inFlight.size + share.reserved.size >= limits[i]!.inFlight)
        return { ok: false, exceeded: 'in_flight', retryInMs: IN_FLIGHT_RECHECK_MS };
    }
    const ticket: Ticket = { keys, at: now, state: 'held' };
    for (const share of shares) {
      share.reserved.add(ticket);
      share.starts.push(now);
    }
    return { ok: true, ticket };
  }

  /** The admitted manual was queued: it holds the share until it is ready or failed. */
  started(ticket: Ticket, manualId: string): void {
    if (ticket.state !== 'held') return;
    ticket.state = 'started';
    for (const share of this.sharesOf(ticket)) {
      share.reserved.delete(ticket);
      share.inFlight.add(manualId);
    }
  }

  /** The admitted manual was not queued after all (another trigger won, the queue was full); no-op once started. */
  released(ticket: Ticket): void {
    if (ticket.state !== 'held') return;
    ticket.state = 'released';
    for (const share of this.sharesOf(ticket)) {
      share.reserved.delete(ticket);
      const at = share.starts.indexOf(ticket.at);
      if (at >= 0) share.starts.splice(at, 1);
    }
  }

  private sharesOf(ticket: Ticket): Share[] {
    return ticket.keys.flatMap((key) => this.shares.get(key) ?? []);
  }

  private share(key: string, now: number): Share {
    let share = this.shares.get(key);
    if (!share) {
      share = { inFlight: new Set(), reserved: new Set(), starts: [], lastSeen: now };
      this.shares.set(key, share);
    }
    share.lastSeen = now;
    return share;
  }

  /**
   * Forgets requesters unseen for ten minutes, once a minute: their starts have left the window, and a
   * manual still in flight after that long is the stuck-manual reconciler's business, not a share.
   */
  private sweep(now: number): void {
    if (now - this.lastSweep < MINUTE_MS) return;
    this.lastSweep = now;
    for (const [key, share] of this.shares)
      if (now - share.lastSeen > 10 * MINUTE_MS && share.reserved.size === 0) this.shares.delete(key);
  }
}
