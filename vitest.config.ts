import { defineConfig } from 'vitest/config'

/**
 * One runner for every tier. Unit tests live beside their code as *.test.ts;
 * cross-package integration and browser tests live in test/.
 *
 * `npm test` runs two passes. The first runs files in parallel. The second
 * (DAK_TEST_TIER=serial) runs, one file at a time, the tests that drive many
 * processes or a real browser against deadlines (Chromium pages, the field
 * harness, a flooder, SIGKILL loops, 200 sends through a socket): on a
 * 2-core machine they starve each other when run side by side, and a test that
 * fails for want of CPU says nothing about Dak.
 */
const SERIAL = [
  'test/web/**/*.test.ts',
  'test/field/**/*.test.ts',
  'test/threats/flood.test.ts',
  'test/storage/migration.test.ts',
  'test/cli/running-mode.test.ts',
  'test/cli/directives.test.ts', // issue 16: a dozen dak processes against a department node
  // three LAN devices against 30 s settles: beside other files it timed out in 2 of 3 full runs
  // (2026-12-07), alone it passed every time; the delay it met is in docs/messenger.md, Carry, Not done
  'test/threats/compromised-device.test.ts',
  'test/threats/silent-member.test.ts', // six LAN devices, the same 30 s settles: timed out once beside other files (2026-12-07)
  'test/cli/wipe.test.ts' // a listening dak process, a revocation and a wipe against deadlines (stop 19's CI failure)
]
/** `npm run test:scaled`: the long fault-injection runs of a scaled department (docs/scaled.md). */
const SCALED = ['test/scaled/**/*.test.ts']
const ALL = ['protocol/src/**/*.test.ts', 'node/src/**/*.test.ts', 'bootstrap/src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts']
const serial = process.env.DAK_TEST_TIER === 'serial'
const scaled = process.env.DAK_TEST_TIER === 'scaled'

export default defineConfig({
  test: {
    include: scaled ? SCALED : serial ? SERIAL : ALL,
    exclude: ['**/node_modules/**', 'test/bench/**', ...(scaled ? [] : SCALED), ...(serial || scaled ? [] : SERIAL)],
    fileParallelism: !serial && !scaled,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks'
  }
})
