import { describe, expect, it } from 'vitest'
import { randomBytes } from '@noble/hashes/utils.js'
import { CLASSICAL_CIPHER_SUITE, DEFAULT_CIPHER_SUITE } from '../constants.js'
import { InvalidArgumentError } from '../errors.js'
import { encodeHistoryPart, packHistory } from './history-part.js'
import { createHistoryKeyPair, HistoryPartUnreadableError, openHistoryPart, sealedHistoryRequestId, sealHistoryPart } from './history-seal.js'
import { SealedHistoryPart } from '../wire/generated/history.js'

/**
 * A history part sealed to the asking device's request key opens there and
 * nowhere else: not with another request's key, not when a byte was changed,
 * and not when another member re-wraps it as its own (the sender is bound).
 */
const sender = randomBytes(32)
const requestId = randomBytes(16)
const [onlyPart] = packHistory('conversation-1', [{ id: 'aa', sender: { handle: 'bala', displayName: 'Bala', title: '', department: 'home', deviceKey: 'bb' }, officersOwn: false, kind: 'text', text: 'the file is on your desk', sentAt: 1_800_000_000_000 }])
if (onlyPart === undefined) throw new Error('one message packs into one part')
const part = encodeHistoryPart(onlyPart)

describe('sealed history parts', () => {
  for (const suite of [DEFAULT_CIPHER_SUITE, CLASSICAL_CIPHER_SUITE]) {
    it(`${suite}: opens with the request's key, from the device that sealed it`, async () => {
      const keys = await createHistoryKeyPair(suite)
      const sealed = await sealHistoryPart(suite, keys.publicKey, requestId, sender, part)
      expect(sealedHistoryRequestId(sealed)).toEqual(requestId)
      expect(await openHistoryPart(suite, keys.privateKey, sealed, sender)).toEqual(part)
    })
  }

  it('does not open with another key, from another sender, or altered', async () => {
    const keys = await createHistoryKeyPair(DEFAULT_CIPHER_SUITE)
    const other = await createHistoryKeyPair(DEFAULT_CIPHER_SUITE)
    const sealed = await sealHistoryPart(DEFAULT_CIPHER_SUITE, keys.publicKey, requestId, sender, part)
    await expect(openHistoryPart(DEFAULT_CIPHER_SUITE, other.privateKey, sealed, sender)).rejects.toThrow(HistoryPartUnreadableError)
    await expect(openHistoryPart(DEFAULT_CIPHER_SUITE, keys.privateKey, sealed, randomBytes(32))).rejects.toThrow(HistoryPartUnreadableError)
    const wire = SealedHistoryPart.decode(sealed)
    const flipped = wire.ciphertext.slice()
    flipped[7] = (flipped[7] ?? 0) ^ 1
    await expect(openHistoryPart(DEFAULT_CIPHER_SUITE, keys.privateKey, SealedHistoryPart.encode({ ...wire, ciphertext: flipped }), sender)).rejects.toThrow(HistoryPartUnreadableError)
    // a part moved to another request (its id is the HPKE info) does not open either
    await expect(openHistoryPart(DEFAULT_CIPHER_SUITE, keys.privateKey, SealedHistoryPart.encode({ ...wire, requestId: randomBytes(16) }), sender)).rejects.toThrow(HistoryPartUnreadableError)
  })

  it('refuses a key that is not one of the suite', async () => {
    await expect(sealHistoryPart(DEFAULT_CIPHER_SUITE, randomBytes(12), requestId, sender, part)).rejects.toThrow(InvalidArgumentError)
  })
})
