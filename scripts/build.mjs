// Builds every artifact `npm start` and the e2e tests use: recorder bundle, viewer, server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const steps = [
  ['recorder', process.execPath, ['packages/recorder/build.mjs']],
  ['viewer', process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']],
  ['server', process.execPath, ['apps/server/build.mjs']],
];
for (const [name, cmd, args] of steps) {
  if (name === 'recorder' && !existsSync(join(root, args[0]))) continue;
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: ${name} failed`);
    process.exit(r.status ?? 1);
  }
  console.log(`build: ${name} ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
