import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // docs/stack.md trap 1: one copy of graphql. Exact match only, so `graphql/...` subpaths still resolve.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    // 2 cores here; every file may hold a PGlite instance (~2 s to start, WASM memory).
    maxWorkers: 2,
    // Each worker process runs file after file with one module graph: the schema, the drivers and PGlite's
    // WASM load once per worker, not once per file (import was about a sixth of the summed per-file time). Files share no
    // state through it: each opens its own database and closes it in afterAll; none mocks modules.
    isolate: false,
  },
});
