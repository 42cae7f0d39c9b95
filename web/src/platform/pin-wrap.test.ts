import { describe, expect, it } from 'vitest'
import { WrongPinError } from './errors.js'
import { openWithPin, sealWithPin } from './pin-wrap.js'

describe('the PIN layer of the storage key', () => {
  const key = crypto.getRandomValues(new Uint8Array(32))

  it('opens with the PIN it was sealed with, and keeps its Argon2id parameters beside it', async () => {
    const { sealed, layer } = await sealWithPin(key, '2468-ok')
    expect(sealed.byteLength).toBe(48)
    expect(layer).toMatchObject({ kdf: 'argon2id', t: expect.any(Number), m: expect.any(Number), p: 1 })
    expect(await openWithPin(sealed, layer, '2468-ok')).toEqual(key)
  })

  it('refuses a wrong PIN with WrongPinError', async () => {
    const { sealed, layer } = await sealWithPin(key, '2468-ok')
    await expect(openWithPin(sealed, layer, '2468-OK')).rejects.toThrow(WrongPinError)
  })

  it('takes the same passphrase typed composed or decomposed (NFC)', async () => {
    const { sealed, layer } = await sealWithPin(key, 'caf\u00e9-پاس')
    expect(await openWithPin(sealed, layer, 'cafe\u0301-پاس')).toEqual(key)
  })
})
