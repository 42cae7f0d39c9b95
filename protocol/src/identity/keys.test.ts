import { describe, expect, it } from 'vitest'
import { SIGNATURE_DOMAINS, type SignatureDomain } from '../constants.js'
import { utf8 } from '../bytes.js'
import { InvalidArgumentError, InvalidSignatureError } from '../errors.js'
import { signFor, signingKeyPairFromSeed, verifyFor } from './keys.js'
import { seededKey } from './test-fixtures.js'

const key = seededKey('keys test')
const message = utf8('the same bytes')

describe('domain-separated signatures', () => {
  it('verifies in the domain it was made for', () => {
    expect(() => verifyFor('envelope', key.publicKey, message, signFor('envelope', key.privateKey, message), 'test')).not.toThrow()
  })

  it('refuses a signature replayed into every other domain', () => {
    const domains = Object.keys(SIGNATURE_DOMAINS) as SignatureDomain[]
    for (const signedIn of domains) {
      const signature = signFor(signedIn, key.privateKey, message)
      for (const checkedIn of domains.filter(d => d !== signedIn)) {
        expect(() => verifyFor(checkedIn, key.publicKey, message, signature, 'test')).toThrow(InvalidSignatureError)
      }
    }
  })

  it('refuses another signer, a changed message and malformed keys or signatures', () => {
    const signature = signFor('certificate', key.privateKey, message)
    expect(() => verifyFor('certificate', seededKey('other').publicKey, message, signature, 'test')).toThrow(InvalidSignatureError)
    expect(() => verifyFor('certificate', key.publicKey, utf8('the same bytes!'), signature, 'test')).toThrow(InvalidSignatureError)
    expect(() => verifyFor('certificate', key.publicKey.subarray(1), message, signature, 'test')).toThrow(InvalidSignatureError)
    expect(() => verifyFor('certificate', key.publicKey, message, signature.subarray(1), 'test')).toThrow(InvalidSignatureError)
    expect(() => verifyFor('certificate', new Uint8Array(32), message, signature, 'test')).toThrow(InvalidSignatureError)
  })

  it('only accepts 32-byte seeds', () => {
    expect(() => signingKeyPairFromSeed(new Uint8Array(31))).toThrow(InvalidArgumentError)
  })
})
