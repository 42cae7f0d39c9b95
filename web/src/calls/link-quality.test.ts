import { describe, expect, it } from 'vitest'
import { GOOD_SAMPLES, INITIAL_QUALITY, nextQuality, POOR_SAMPLES, type LinkSample } from './link-quality.js'

function run (samples: LinkSample[]): boolean[] {
  let q = INITIAL_QUALITY
  return samples.map(s => (q = nextQuality(q, s)).poor)
}

describe('link quality', () => {
  it('falls back to audio after two poor samples in a row, by loss or by bitrate', () => {
    expect(run([{ lossFraction: 0.2 }, { lossFraction: 0.2 }])).toEqual([false, true])
    expect(run([{ availableOutgoingBitrate: 80_000 }, { availableOutgoingBitrate: 90_000 }])).toEqual([false, true])
    // one bad sample between good ones is not enough
    expect(run([{ lossFraction: 0.5 }, { lossFraction: 0 }, { lossFraction: 0.5 }, { lossFraction: 0 }]).some(p => p)).toBe(false)
  })

  it('brings video back only after a run of good samples', () => {
    const bad = Array.from({ length: POOR_SAMPLES }, () => ({ lossFraction: 0.3 }))
    const good = Array.from({ length: GOOD_SAMPLES }, () => ({ lossFraction: 0.01, availableOutgoingBitrate: 1_000_000 }))
    const poor = run([...bad, ...good])
    expect(poor.slice(POOR_SAMPLES - 1, -1).every(p => p)).toBe(true)
    expect(poor.at(-1)).toBe(false)
  })

  it('judges a link already on audio by its loss alone', () => {
    const bad = Array.from({ length: POOR_SAMPLES }, () => ({ availableOutgoingBitrate: 50_000 }))
    const audioOnly = Array.from({ length: GOOD_SAMPLES }, () => ({ lossFraction: 0, availableOutgoingBitrate: 60_000 }))
    expect(run([...bad, ...audioOnly]).at(-1)).toBe(false)
  })

  it('treats a sample with no figures as good', () => {
    expect(run([{}, {}, {}])).toEqual([false, false, false])
  })
})
