/**
 * What the sockets of one session, on any gateway instance, must hear from each other or from an
 * operator: a turn asked or finished in another tab (v5 `turn` frames), and the session's erasure.
 * They travel on the bus, on a channel named by a SHA-256 of the id: the id is a bearer token and
 * Redis shows channel names to anyone who may list them.
 */
import { createHash } from 'node:crypto';
import type { Bus } from '../../adapters/bus/bus.js';
import type { HistoryTurn } from '../../shared/protocol.js';

export type SessionEvent =
  /** `origin`: the connection that asked, which already shows the turn. */
  { kind: 'turn'; origin: string; phase: 'asked' | 'done'; turn: HistoryTurn } | { kind: 'erased' };

export function sessionChannel(sessionId: string): string {
  return `session:${createHash('sha256').update(sessionId).digest('hex')}`;
}

export function publishSessionEvent(bus: Bus, sessionId: string, event: SessionEvent): Promise<void> {
  return bus.publish(sessionChannel(sessionId), event);
}

/** Follows one session's events; anything on the channel that is not an event is ignored. */
export function followSession(
  bus: Bus,
  sessionId: string,
  listener: (event: SessionEvent) => void,
): Promise<() => Promise<void>> {
  return bus.subscribe(sessionChannel(sessionId), (message) => {
    const event = message as Partial<SessionEvent> | null;
    if (event?.kind === 'erased' || (event?.kind === 'turn' && typeof event.origin === 'string' && event.turn))
      listener(event as SessionEvent);
  });
}
