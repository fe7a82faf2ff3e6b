/**
 * Session state that must survive a reconnect to any instance: the selected product. It lives in the
 * shared key-value store with a sliding TTL; per-keystroke state (the last answered seq) stays on
 * the connection, since a resumed client starts a new seq sequence anyway.
 */
import { z } from 'zod';
import type { KeyValue } from '../cache/kv.js';

const SessionState = z.object({
  productId: z.string().optional(),
  createdAt: z.number(),
});
export type SessionState = z.infer<typeof SessionState>;

export const SESSION_TTL_SECONDS = 30 * 60;

export class SessionStore {
  constructor(private readonly kv: KeyValue) {}

  async load(sessionId: string): Promise<SessionState | undefined> {
    const raw = await this.kv.get(`session:${sessionId}`);
    if (raw === null) return undefined;
    const parsed = SessionState.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async save(sessionId: string, state: SessionState): Promise<void> {
    await this.kv.set(`session:${sessionId}`, JSON.stringify(state), SESSION_TTL_SECONDS);
  }

  async delete(sessionId: string): Promise<void> {
    await this.kv.delete(`session:${sessionId}`);
  }
}
