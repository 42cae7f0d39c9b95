import { describe, expect, it } from 'vitest'
import { figuresOf } from './report.js'
import { removeStaleNamespaces } from './namespaces.js'
import { PROFILES } from './profiles.js'
import { runProfile } from './scenario.js'

/**
 * The field harness's quick profile inside `npm test` (CI runs as root): a
 * department node and two `dak` devices as separate processes, each in its
 * own network namespace, joined through the forwarder. Every text must reach
 * the receiver exactly once. Network namespaces need root: elsewhere the test
 * is skipped, and says so. The whole matrix is `npm run field` (docs/field.md).
 */

const root = process.getuid?.() === 0

describe.skipIf(!root)('field harness, quick profile (real processes in network namespaces)', () => {
  it('every text is delivered exactly once to every receiver; the link carried traffic; nothing is left behind', async () => {
    removeStaleNamespaces()
    const observed = await runProfile(PROFILES.quick!, 1)
    const figures = figuresOf(observed)
    expect(figures.texts).toBe(PROFILES.quick!.texts)
    expect({ exactlyOnce: figures.exactlyOnceToAll, lost: figures.lost, duplicates: figures.duplicates }).toEqual({ exactlyOnce: figures.texts, lost: 0, duplicates: 0 })
    expect(figures.bytesPerDeliveredText).toBeGreaterThan(0)
    // cleaned up: no namespace of this process is left
    const { execFileSync } = await import('node:child_process')
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`dakf-${process.pid}-`)
  }, 240_000)
})
