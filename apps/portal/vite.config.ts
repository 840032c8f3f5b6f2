import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const gateway = process.env.LIENKET_URL ?? 'http://127.0.0.1:8080';

// Served by the gateway: index.html at `/`, everything else under `/portal/` so nothing shadows the API.
export default defineConfig({
  base: '/portal/',
  plugins: [preact({ prerender: { enabled: false } })],
  resolve: {
    // The reference data as ES modules, so the bundle keeps only what the portal uses.
    alias: {
      '@lienket/reference': fileURLToPath(new URL('../../packages/reference/src/index.ts', import.meta.url)),
      // The API client from its sources: its types are generated from the gateway's document at build time.
      '@lienket/api-client': fileURLToPath(
        new URL('../../packages/api-client/src/index.ts', import.meta.url),
      ),
    },
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    // The gateway's CSP allows same-origin scripts only: nothing inlined into index.html.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/v1': gateway, '/openapi.json': gateway, '/docs': gateway },
  },
});
