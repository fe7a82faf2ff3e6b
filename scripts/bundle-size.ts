/**
 * Reports what a first visit downloads: the JavaScript that index.html loads (entry script and
 * modulepreloads, not lazy chunks) and the CSS, raw and gzipped, as JSON. Exits 1 over the budget.
 *   npm run bundle-size [-- distDir]   (default app/web/dist, after npm run build:web)
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const FIRST_LOAD_JS_BUDGET_GZIP = 150 * 1024;

export interface BundleReport {
  files: Array<{ file: string; bytes: number; gzipBytes: number }>;
  firstLoadJsGzipBytes: number;
  cssGzipBytes: number;
  budgetGzipBytes: number;
  withinBudget: boolean;
}

export function measureFirstLoad(distDir: string): BundleReport {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ];
  const styles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)];
  const measure = (url: string) => {
    const content = readFileSync(join(distDir, url.replace(/^\//, '')));
    return { file: url, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  };
  const js = [...new Set(scripts.map((m) => m[1]!))].map(measure);
  const css = [...new Set(styles.map((m) => m[1]!))].map(measure);
  if (js.length === 0) throw new Error(`no <script src> in ${distDir}/index.html: run npm run build:web first`);
  const firstLoadJsGzipBytes = js.reduce((sum, f) => sum + f.gzipBytes, 0);
  return {
    files: [...js, ...css],
    firstLoadJsGzipBytes,
    cssGzipBytes: css.reduce((sum, f) => sum + f.gzipBytes, 0),
    budgetGzipBytes: FIRST_LOAD_JS_BUDGET_GZIP,
    withinBudget: firstLoadJsGzipBytes <= FIRST_LOAD_JS_BUDGET_GZIP,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? fileURLToPath(new URL('../app/web/dist', import.meta.url));
  const report = measureFirstLoad(dist);
  console.log(JSON.stringify(report, null, 2));
  if (!report.withinBudget) process.exit(1);
}
