/**
 * A string key-value store with expiry: sessions and the L2 cache live here. In-process for
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
