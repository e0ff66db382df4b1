import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Builds the analyst SPA (apps/viewer). The server serves apps/viewer/dist at `/` behind a strict
// CSP (script-src 'self', no eval), so the build must not emit inline scripts: Vite's output is
// external module scripts only, and we keep the module-preload polyfill out of index.html.
const root = resolve(import.meta.dirname, 'apps/viewer');

/**
 * `<link rel="modulepreload">` for the app chunk (`boot`, React and the app) and, when named, other
 * chunks: the entry imports them dynamically (so a replay's requests start before React is
 * evaluated), which alone would let the browser discover them only once the entry has run. Preloaded,
 * they download and compile beside the entry instead of after it.
 */
function preloadChunks(names: string[]): Plugin {
  return {
    name: 'hindsight-preload-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk' && names.includes(c.name));
        return chunks.map((c) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${c.fileName}` }, injectTo: 'head' as const }));
      },
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), preloadChunks(['boot'])],
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
