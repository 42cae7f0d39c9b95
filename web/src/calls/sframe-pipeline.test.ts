import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CallFrames, PREVIOUS_KEY_MS } from './sframe-pipeline.js'

/** An Opus-sized audio frame: one clear TOC byte, the rest encrypted. */
const frame = (): Uint8Array => Uint8Array.from(randomBytes(60))

describe('re-keying a call (CallFrames.rekey)', () => {
  it('sends under the new secret only; receivers keep the old key until the peer switches, then refuse it', () => {
    const [oldSecret, newSecret] = [Uint8Array.from(randomBytes(32)), Uint8Array.from(randomBytes(32))]
    let now = 1_000
    const clock = (): number => now
    const asha = new CallFrames({ secret: oldSecret.slice(), ownLeaf: 0, session: 1 }, clock)
    const ravi = new CallFrames({ secret: oldSecret.slice(), ownLeaf: 1, session: 2 }, clock)
    // what the removed member keeps: the old epoch's secret, never re-keyed
    const removed = new CallFrames({ secret: oldSecret.slice(), ownLeaf: 2, session: 3 }, clock)

    const beforeRekey = asha.encrypt('audio', undefined, frame())
    expect(ravi.decrypt('audio', undefined, 0, beforeRekey)).toBeDefined()

    ravi.rekey(newSecret.slice(), 20)
    // Asha has not applied the change yet: her old-key frames still open at Ravi, for now
    expect(ravi.decrypt('audio', undefined, 0, asha.encrypt('audio', undefined, frame()))).toBeDefined()

    asha.rekey(newSecret.slice(), 10)
    const plaintext = frame()
    const afterRekey = asha.encrypt('audio', undefined, plaintext)
    expect(ravi.decrypt('audio', undefined, 0, afterRekey)).toEqual(plaintext)
    // the removed member's key opens nothing sent after the re-key
    expect(removed.decrypt('audio', undefined, 0, afterRekey)).toBeUndefined()
    // Asha sends under the new key now: a frame under her old key is refused from here on
    expect(ravi.decrypt('audio', undefined, 0, beforeRekey)).toBeUndefined()
    expect(ravi.counters).toMatchObject({ decrypted: 3, dropped: 1 })
  })

  it('drops the old key after PREVIOUS_KEY_MS even if a peer never switches', () => {
    const [oldSecret, newSecret] = [Uint8Array.from(randomBytes(32)), Uint8Array.from(randomBytes(32))]
    let now = 1_000
    const clock = (): number => now
    const bala = new CallFrames({ secret: oldSecret.slice(), ownLeaf: 2, session: 3 }, clock)
    const ravi = new CallFrames({ secret: oldSecret.slice(), ownLeaf: 1, session: 2 }, clock)
    ravi.rekey(newSecret.slice(), 20)
    expect(ravi.decrypt('audio', undefined, 2, bala.encrypt('audio', undefined, frame()))).toBeDefined()
    now += PREVIOUS_KEY_MS + 1
    expect(ravi.decrypt('audio', undefined, 2, bala.encrypt('audio', undefined, frame()))).toBeUndefined()
  })
})
