import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: found by walking up from this file (works from src/ under tsx and from dist/). */
export function repoRoot(): string {
  if (process.env.HINDSIGHT_ROOT) return resolve(process.env.HINDSIGHT_ROOT);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'apps')) && existsSync(join(dir, 'packages'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function appPaths(root = repoRoot()) {
  return {
    viewerDist: join(root, 'apps/viewer/dist'),
    recorderDist: join(root, 'packages/recorder/dist'),
    demoSite: join(root, 'apps/demo/site'),
  };
}
