/**
 * A string key-value store with expiry: the L2 answer cache lives here (sessions do not: they are in the
 * database, app/core/sessions/session-store.ts, so the cache can never evict or refuse one). In-process for
 * embedded mode, Redis otherwise; both pass kv.contract.test.ts. Losing it loses warmth, not data.
 */
export interface KeyValue {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Throws when the store cannot answer; readiness uses it. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
