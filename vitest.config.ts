import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // DuckDB and ClickHouse tests start real servers/files; keep parallelism modest on 2 cores
    maxWorkers: 2,
  },
});
