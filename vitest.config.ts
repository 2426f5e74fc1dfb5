import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // One migrated and one demo-seeded database per run; each file copies one (src/test/global-setup.ts).
    globalSetup: ['src/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    // Setting up a file (a fresh database, the demo province, its procedures and signing keys) can take a minute
    // on a loaded two-core machine; a generous limit only delays the report of a real hang.
    hookTimeout: 240_000,
    // PGlite (WASM) per file is CPU-bound: a couple of files at a time is fastest on small machines.
    maxWorkers: process.env.VITEST_MAX_WORKERS ? Number(process.env.VITEST_MAX_WORKERS) : 2,
  },
});
