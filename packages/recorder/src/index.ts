// ESM entry: `import { init } from '@hindsight/recorder'`.
export { init } from './recorder';
export type { Hindsight, Options } from './recorder';
