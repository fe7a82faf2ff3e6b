/**
 * The bundled demo manuals as a manual source. A demo manual is stored as `demo:<file>`, not as one
 * gateway's own address: with several gateways each would otherwise rewrite the others' URL and reset
 * their ready manuals. It is fetched from the app that serves it when that address is known (the
 * fetcher's guards then apply as to any host), else read from the bundle.
 */
import { createHash } from 'node:crypto';
import { ManualFetchError } from '../errors.js';
import { fetchManual } from '../fetch.js';
import { readDemoManifest, readDemoManual, type DemoManifestEntry } from './manifest.js';

const DEMO_SCHEME = 'demo:';
/** Where the gateway serves the bundled PDFs (./routes.ts). */
export const DEMO_ROUTE = '/demo/manuals/';

export interface DemoManuals {
  /** `demo:<file>` for a product with a bundled manual. */
  urlOf(productId: string): string | undefined;
  /** The bundled manual a request for `file` names, if any. */
  byFile(file: string): DemoManifestEntry | undefined;
  /** The gateway path serving a `demo:` URL's manual; undefined for any other URL. */
  pathOf(url: string): string | undefined;
  /** fetchManual that also understands `demo:` URLs. */
  download: typeof fetchManual;
}

export async function loadDemoManuals(options: {
  /** DEMO_MANUALS: when false no product gets a bundled manual. */
  enabled: boolean;
  /** The base URL the demo manuals are served from, once known (PUBLIC_URL, or the gateway's own address). */
  baseUrl: () => string | undefined;
}): Promise<DemoManuals> {
  const manuals = options.enabled ? (await readDemoManifest()).manuals : [];
  const byProduct = new Map<string, DemoManifestEntry>(manuals.map((m) => [m.productId, m]));
  const byFile = new Map<string, DemoManifestEntry>(manuals.map((m) => [m.file, m]));
  const entryOf = (url: string) =>
    url.startsWith(DEMO_SCHEME) ? byFile.get(url.slice(DEMO_SCHEME.length)) : undefined;
  return {
    urlOf(productId) {
      const entry = byProduct.get(productId);
      return entry ? `${DEMO_SCHEME}${entry.file}` : undefined;
    },
    byFile: (file) => byFile.get(file),
    pathOf(url) {
      const entry = entryOf(url);
      return entry ? `${DEMO_ROUTE}${entry.file}` : undefined;
    },
    async download(url, fetchOptions) {
      if (!url.startsWith(DEMO_SCHEME)) return fetchManual(url, fetchOptions);
      const entry = entryOf(url);
      if (!entry)
        throw new ManualFetchError('not_found', 'this demo manual is not bundled with this version of the app', true);
      const base = options.baseUrl();
      if (base) return fetchManual(`${base}${DEMO_ROUTE}${entry.file}`, fetchOptions);
      const body = await readDemoManual(entry);
      return {
        body,
        url,
        bytes: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
        contentType: 'application/pdf',
      };
    },
  };
}
