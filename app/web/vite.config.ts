/**
 * Builds the customer UI into app/web/dist (served by the gateway at `/`).
 * `dev:web` runs Vite's dev server and proxies /ws and /manuals to a running app (HSC_API_URL,
 * default http://127.0.0.1:8080), so the UI reloads instantly while talking to the real server.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.HSC_API_URL ?? 'http://127.0.0.1:8080';

/**
 * Writes `file.br` and `file.gz` next to every text asset of the build, at the highest levels, once:
 * the gateway (@fastify/static preCompressed) and nginx (gzip_static) send them as they are, so no
 * request pays for compression and a 300 KB script travels as well under 100 KB.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'hsc-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      for (const entry of await readdir(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(js|css|html|svg|json)$/.test(entry.name)) continue;
        const path = join(entry.parentPath, entry.name);
        const body = await readFile(path);
        if (body.length < 512) continue;
        await writeFile(`${path}.gz`, gzipSync(body, { level: 9 }));
        await writeFile(
          `${path}.br`,
          brotliCompressSync(body, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
          }),
        );
      }
    },
  };
}

export default defineConfig(({ mode }) => ({
  root,
  base: '/',
  plugins: [react(), tailwindcss(), precompress()],
  // Test hooks (message seeding for the 10,000-message test) exist only outside production builds:
  // `if (__TEST_HOOKS__)` becomes `if (false)` and the hook module is never emitted.
  define: { __TEST_HOOKS__: JSON.stringify(mode !== 'production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
      '/manuals': { target: api },
    },
  },
}));
