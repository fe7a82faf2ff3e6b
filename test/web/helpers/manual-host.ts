/**
 * A manual host of a test's own: a local HTTP server answering as `handler` says, and a catalog file
 * whose products' manuals it serves. `env` starts the real app on that catalog alone (no demo manuals),
 * with the loopback host allowed for manual downloads.
 */
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../../harness/index.js';

export interface ManualHost {
  env: Record<string, string>;
  close(): Promise<void>;
}

/** `products(origin)`: the catalog entries, given the host's origin (http://127.0.0.1:<port>). */
export async function startManualHost(
  name: string,
  handler: http.RequestListener,
  products: (origin: string) => object[],
): Promise<ManualHost> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = await tempDir(name);
  const catalog = join(dir.path, 'catalog.json');
  const { port } = server.address() as AddressInfo;
  await writeFile(catalog, JSON.stringify(products(`http://127.0.0.1:${port}`)));
  return {
    env: { CATALOG_FILE: catalog, DEMO_MANUALS: 'false', MANUAL_HOSTS: `127.0.0.1:${port}` },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dir.remove();
    },
  };
}
