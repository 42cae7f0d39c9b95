import { defineConfig } from 'vitest/config'

// One runner for every tier. Unit tests live beside their code as *.test.ts;
// cross-package integration and browser tests live in test/.
export default defineConfig({
  test: {
    include: ['protocol/src/**/*.test.ts', 'node/src/**/*.test.ts', 'bootstrap/src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks'
  }
})
