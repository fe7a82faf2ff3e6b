/**
 * The database port. Two adapters implement it, PGlite (embedded, real Postgres in WASM) and
 * node-postgres (a primary and an optional read replica); both pass db.contract.test.ts.
 */
export interface QueryResult<R> {
  rows: R[];
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** One connection held for a unit of work: multi-statement `exec` and transactions need it. */
export interface Session extends Queryable {
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /** Reads that tolerate replication lag: the replica when one is configured and healthy, else the primary. */
  readonly read: Queryable;
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T>;
  /**
   * One connection of its own for long maintenance work (migrations): outside the request pool and its
   * statement and query timeouts, held for the whole of `fn`, closed after.
   */
  maintenanceSession<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /**
   * Gives back memory the adapter keeps after heavy work (PGlite's WebAssembly memory never shrinks:
   * it is reopened on the same data, calls made meanwhile wait); a no-op where there is none to give.
   */
  releaseMemory(): Promise<void>;
  /** Throws when the primary cannot answer; readiness uses it. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
