import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CallKeyring, callSender, sframeDecrypt, SFrameAuthenticationError } from '@dak/protocol/sframe'
import { clearBytes, protectFrame, unprotectFrame } from './frame-layout.js'

const secret = new Uint8Array(32).fill(9)

describe('frame layout', () => {
  it('leaves the VP8 header or the Opus TOC in the clear, never more than the frame', () => {
    expect(clearBytes('video', 'key', 5000)).toBe(10)
    expect(clearBytes('video', 'delta', 5000)).toBe(3)
    expect(clearBytes('audio', undefined, 80)).toBe(1)
    expect(clearBytes('video', 'key', 4)).toBe(4)
  })

  it('round-trips any frame, and a changed clear prefix makes it fail', () => {
    const sender = callSender(secret, 2, 5)
    const ring = new CallKeyring(secret, leaf => leaf === 2)
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.constantFrom<'key' | 'delta'>('key', 'delta'), (frame, type) => {
      const clear = clearBytes('video', type, frame.length)
      const sealed = protectFrame(frame, clear, (m, p) => sender.encrypt(m, p))
      expect(sealed.subarray(0, clear)).toEqual(frame.subarray(0, clear))
      expect(unprotectFrame(sealed, clear, (m, c) => sframeDecrypt(ring.keyFor, m, c).plaintext)).toEqual(frame)
      if (clear > 0) {
        const bent = sealed.slice()
        bent[0]! ^= 1
        expect(() => unprotectFrame(bent, clear, (m, c) => sframeDecrypt(ring.keyFor, m, c).plaintext)).toThrow(SFrameAuthenticationError)
      }
    }), { numRuns: 100 })
  })
})
