import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The default output, then one plain closing line with the counts (test/helpers/plain-summary.ts).
    reporters: ['default', './test/helpers/plain-summary.ts'],
  },
});
