/**
 * What Postgres is told, from the stack's one typed place (`postgres.parameters`) plus what follows from
 * the sizing: buffers from the memory limit, never restated. CloudNativePG owns the rest (replication,
 * archiving, listen addresses, pg_hba), so those are not ours to set.
 */
import type { PostgresConfig } from '../../../stacks/types.js';

/**
 * WAL a replication slot may hold back before Postgres invalidates the slot (the standby then re-clones
 * from the archive) instead of filling the volume and stopping the primary: half a WAL volume of its
 * own, a quarter of the data volume when WAL shares it. The rest is room for max_wal_size between
 * checkpoints and an archive backlog (PostgresWalArchivingStuck fires long before).
 */
export function maxSlotWalKeepGiB(pg: PostgresConfig): number {
  return Math.max(1, pg.walStorageGiB ? Math.floor(pg.walStorageGiB / 2) : Math.floor(pg.storageGiB / 4));
}

/** A quarter of the memory limit for shared_buffers, three quarters as the planner's cache estimate. */
export function postgresParameters(pg: PostgresConfig): Record<string, string> {
  const limit = pg.resources.memoryMiB.limit;
  const rendered: Record<string, string> = {
    shared_buffers: `${Math.max(32, Math.floor(limit / 4))}MB`,
    effective_cache_size: `${Math.floor((limit * 3) / 4)}MB`,
    max_slot_wal_keep_size: `${maxSlotWalKeepGiB(pg)}GB`,
  };
  for (const [name, value] of Object.entries(pg.parameters)) rendered[name] = String(value);
  return rendered;
}
