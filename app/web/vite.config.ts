/**
 * Builds the customer UI into app/web/dist (served by the gateway at `/`).
 * `dev:web` runs Vite's dev server and proxies /ws and /manuals to a running app (HSC_API_URL,
 * default http://127.0.0.1:8080), so the UI reloads instantly while talking to the real server.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.HSC_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig(({ mode }) => ({
  root,
  base: '/',
  plugins: [react(), tailwindcss()],
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
