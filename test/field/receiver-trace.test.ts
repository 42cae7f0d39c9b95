import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { logFileOf, outcomesOf, receiverSection } from './receiver-trace.js'
import type { Observed } from './scenario.js'

/** What a run's record says about each receiver (no namespaces needed: runs anywhere). */

function observed (logDir: string): Observed {
  const texts = [1, 2, 3, 4, 5].map(i => ({ tag: `field#${i}`, sentAt: 1_000 * i, sendCode: 3, sendMs: 20_000 }))
  return {
    texts,
    received: {
      bala: { 'field#1': [1_500], 'field#2': [2_500, 2_600], 'field#3': [3_500], 'field#4': [4_500], 'field#5': [5_500] },
      chitra: { 'field#1': [1_700], 'field#4': [4_800] }
    },
    statuses: { bala: [], chitra: ['71.2 s {"mode":"department","departmentNodes":1,"peers":1,"queued":0}'] },
    errors: { bala: [], chitra: [] },
    logDir,
    vniOf: { asha: 1, bala: 2, chitra: 3 },
    browsers: ['chitra'],
    // bala online, 900 B over a 30 s idle window; chitra never came online (no idle figure)
    onlineMs: { bala: 12_000 },
    idle: { ms: 30_000, before: { 2: { up: { bytes: 1_000 }, down: { bytes: 2_000 } } }, after: { 2: { up: { bytes: 1_400 }, down: { bytes: 2_500 } } } }
  } as unknown as Observed
}

describe('field run record: where copies were lost', () => {
  it('names, per receiver, the texts it missed and printed twice, and shows the trail of the one that missed', () => {
    const logDir = mkdtempSync(join(tmpdir(), 'dak-field-trace-'))
    writeFileSync(logFileOf(logDir, 'chitra'), 'dak:net:gossip-gate gossip not started with …\nlast line\n')
    const o = observed(logDir)

    expect(outcomesOf(o, ['bala', 'chitra'])).toEqual([
      { handle: 'bala', latencies: [500, 500, 500, 500, 500], got: 5, missed: [], duplicated: ['field#2'] },
      { handle: 'chitra', latencies: [700, 800], got: 2, missed: ['field#2', 'field#3', 'field#5'], duplicated: [] }
    ])
    const text = receiverSection(o, ['bala', 'chitra']).join('\n')
    expect(text).toContain('- bala: 5 of 5, p50 0.50 s, p95 0.50 s, idle 1800 B/min; duplicated field#2')
    expect(text).toContain('- chitra (browser): 2 of 5, p50 0.70 s, p95 0.80 s, idle —; missed field#2–3, 5')
    expect(text).toContain('chitra, which missed 3')
    expect(text).toContain('71.2 s {"mode":"department"')
    expect(text).toContain('    last line')
    expect(text).not.toContain('bala, which missed')
  })
})
