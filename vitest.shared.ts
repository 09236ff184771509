import { defineConfig } from 'vitest/config';

/** Shared by every package's vitest.config.ts. */
export default defineConfig({
  resolve: { conditions: ['@phoenix/source'] },
  ssr: { resolve: { conditions: ['@phoenix/source'] } },
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
