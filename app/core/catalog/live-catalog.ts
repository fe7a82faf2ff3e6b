/**
 * The catalog as a running process sees it: imported from the configured file at start, then kept in
 * step with the database. Another instance (or an operator) may import a new catalog; every instance
 * polls the catalog version and rebuilds what it built from the products when it changed.
 */
import type { Logger } from 'pino';
import type { Db } from '../../adapters/storage/db.js';
import type { Instruments } from '../../shared/telemetry/registry.js';
import { BUNDLED_CATALOG, catalogVersion, importCatalog, loadActiveProducts, readCatalogFile } from './import.js';
import type { Product } from './product.js';

const CATALOG_POLL_MS = 30_000;

/** Imports CATALOG_FILE (or the bundled catalog); logs the counts and the first rejected records. */
export async function importConfiguredCatalog(db: Db, catalogFile: string | undefined, log: Logger): Promise<void> {
  const source = catalogFile ?? BUNDLED_CATALOG;
  const report = await importCatalog(db, source, readCatalogFile(source));
  const { rejected, renamed, ...counts } = report;
  log.info({ ...counts, renamed: renamed.slice(0, 50) }, 'catalog imported');
  for (const rejection of rejected.slice(0, 20)) log.warn({ rejection }, 'catalog record rejected');
  if (report.rejectedCount > 20) log.warn({ more: report.rejectedCount - 20 }, 'more catalog records rejected');
}

export interface LiveCatalog<T> {
  /** What was built from the latest catalog version. */
  current(): T;
  close(): void;
}

/** A product lookup by id: what a process that does not predict (the worker) needs of the catalog. */
export function productDirectory(products: readonly Product[]): {
  size: number;
  product(id: string): Product | undefined;
} {
  const byId = new Map(products.map((p) => [p.id, p]));
  return { size: byId.size, product: (id) => byId.get(id) };
}

export async function openLiveCatalog<T extends { size: number }>(
  db: Db,
  options: {
    /** Built from the active products at start and after every catalog change (the prediction index, a lookup). */
    build: (products: readonly Product[]) => T;
    log: Logger;
    /** Given by the gateway, whose index size `catalog_products` reports. */
    metrics?: Instruments;
    pollMs?: number;
  },
): Promise<LiveCatalog<T>> {
  const { build, log, metrics } = options;
  let built = build(await loadActiveProducts(db));
  let version = await catalogVersion(db);
  metrics?.catalogProducts.set(built.size);
  const poll = setInterval(() => {
    void (async () => {
      const latest = await catalogVersion(db.read);
      if (latest === version) return;
      built = build(await loadActiveProducts(db.read));
      version = latest;
      metrics?.catalogProducts.set(built.size);
      log.info({ products: built.size, version }, 'catalog changed: rebuilt');
    })().catch((error: unknown) => log.warn({ err: error }, 'catalog refresh failed'));
  }, options.pollMs ?? CATALOG_POLL_MS);
  poll.unref();
  return {
    current: () => built,
    close: () => clearInterval(poll),
  };
}
