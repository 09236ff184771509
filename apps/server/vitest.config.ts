import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['src/testing/pglite-templates.ts'],
      // Every test here spawns `phoenix` processes, and each opens the embedded database
      // (about 5 s on an idle 2-core machine: PGlite loads and syncs its whole data folder),
      // so the per-test budget counts processes, not a single in-process call.
      testTimeout: 120_000,
    },
  }),
);
