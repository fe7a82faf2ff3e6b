/**
 * What Postgres is told, from the stack's one typed place (`postgres.parameters`) plus what follows from
 * the sizing: buffers from the memory limit, never restated. CloudNativePG owns the rest (replication,
 * archiving, listen addresses, pg_hba), so those are not ours to set.
 */
import type { PostgresConfig } from '../../stacks/types.js';

/** A quarter of the memory limit for shared_buffers, three quarters as the planner's cache estimate. */
export function postgresParameters(pg: PostgresConfig): Record<string, string> {
  const limit = pg.resources.memoryMiB.limit;
  const rendered: Record<string, string> = {
    shared_buffers: `${Math.max(32, Math.floor(limit / 4))}MB`,
    effective_cache_size: `${Math.floor((limit * 3) / 4)}MB`,
  };
  for (const [name, value] of Object.entries(pg.parameters)) rendered[name] = String(value);
  return rendered;
}
