// Bundles the server into dist/main.js. Workspace packages (TypeScript sources) are bundled in;
// npm dependencies stay external (DuckDB ships a native binding).
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const external = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@hindsight/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};
for (const entry of ['main', 'cli']) {
  if (!existsSync(join(here, `src/${entry}.ts`))) continue;
  await build({
    entryPoints: [join(here, `src/${entry}.ts`)],
    outfile: join(here, `dist/${entry}.js`),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    plugins: [external],
    logLevel: 'warning',
    // dist/cli.js is the root package's `hindsight` bin
    ...(entry === 'cli' ? { banner: { js: '#!/usr/bin/env node' } } : {}),
  });
  if (entry === 'cli') chmodSync(join(here, 'dist/cli.js'), 0o755);
}
