import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Builds the analyst SPA (apps/viewer). The server serves apps/viewer/dist at `/` behind a strict
// CSP (script-src 'self', no eval), so the build must not emit inline scripts: Vite's output is
// external module scripts only, and we keep the module-preload polyfill out of index.html.
const root = resolve(import.meta.dirname, 'apps/viewer');

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    // `npm run dev` against a locally running server (npm start)
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
});
