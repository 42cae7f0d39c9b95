import fc from 'fast-check'
import { ciphersuites, defaultCryptoProvider, type CiphersuiteImpl } from 'ts-mls'
import { describe, expect, it } from 'vitest'
import { concatBytes, toHex, utf8 } from '../bytes.js'
import { dakCryptoProvider } from './provider.js'
import { SUPPORTED_SUITES } from './suite.js'

/**
 * Dak's provider against ts-mls's default provider, primitive by primitive: the same
 * input gives the same bytes, or fails in both. The default is the reference; it runs
 * HKDF, HMAC, hashes and Ed25519 through WebCrypto.
 */

interface Pair { name: string, dak: CiphersuiteImpl, reference: CiphersuiteImpl }

const pairs: Pair[] = await Promise.all(SUPPORTED_SUITES.map(async name => ({
  name,
  dak: await dakCryptoProvider.getCiphersuiteImpl(ciphersuites[name]),
  reference: await defaultCryptoProvider.getCiphersuiteImpl(ciphersuites[name])
})))

/** The outcome of a call, comparable across providers: its bytes in hex, or that it failed. */
async function outcome (call: () => Promise<Uint8Array | boolean>): Promise<string> {
  try {
    const value = await call()
    return typeof value === 'boolean' ? String(value) : toHex(value)
  } catch {
    return 'failed'
  }
}

/** True if `promise` has settled by the time it is returned: no thread-pool round trip was awaited. */
async function isSettled (promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending')
  // A settled promise ahead of an already-resolved one wins the race; a pending one loses it.
  return await Promise.race([promise, Promise.resolve(pending)]).then(winner => winner !== pending, () => true)
}

/** RFC 9420 variable-length integer (§2.1.2), as ts-mls encodes an opaque<V> length. */
function varint (n: number): Uint8Array {
  if (n < 0x40) return new Uint8Array([n])
  if (n < 0x4000) return new Uint8Array([0x40 | (n >> 8), n & 0xff])
  return new Uint8Array([0x80 | (n >>> 24), (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])
}

/** KDFLabel of ExpandWithLabel (RFC 9420 §8): uint16 length, opaque label<V> ("MLS 1.0 " + label), opaque context<V>. */
function kdfLabel (label: string, context: Uint8Array, length: number): Uint8Array {
  const fullLabel = utf8(`MLS 1.0 ${label}`)
  return concatBytes(new Uint8Array([length >> 8, length & 0xff]), varint(fullLabel.length), fullLabel, varint(context.length), context)
}

const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: 0, maxLength: max })

describe.each(pairs)('Dak provider vs ts-mls default provider, $name', ({ dak, reference }) => {
  const size = reference.kdf.size

  it('has the KDF size of the reference and leaves rng, HPKE and the suite id alone', () => {
    expect(dak.kdf.size).toBe(size)
    expect(dak.id).toBe(reference.id)
    expect(dak.hpke.keyLength).toBe(reference.hpke.keyLength)
    expect(dak.hpke.nonceLength).toBe(reference.hpke.nonceLength)
  })

  it('HKDF extract: same PRK for every salt and IKM, same refusals', async () => {
    const salt = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: size, maxLength: size }), bytes(2 * size + 1))
    await fc.assert(fc.asyncProperty(salt, bytes(300), async (s, ikm) => {
      const ours = await outcome(async () => await dak.kdf.extract(s, ikm))
      expect(ours).toBe(await outcome(async () => await reference.kdf.extract(s, ikm)))
      if (s.length === 0 || s.length === size) expect(ours).not.toBe('failed')
    }), { numRuns: 150 })
  })

  it('HKDF expand: same OKM for every PRK, info and length up to the limit, same refusals (a PRK must be HashLen bytes)', async () => {
    const length = fc.oneof(fc.constantFrom(12, 16, 32, size), fc.integer({ min: 0, max: 3 * size }), fc.integer({ min: 255 * size - 2, max: 255 * size + 2 }))
    const prk = fc.oneof(fc.uint8Array({ minLength: size, maxLength: size }), bytes(2 * size + 1))
    await fc.assert(fc.asyncProperty(prk, bytes(300), length, async (prk, info, len) => {
      const ours = await outcome(async () => await dak.kdf.expand(prk, info, len))
      expect(ours).toBe(await outcome(async () => await reference.kdf.expand(prk, info, len)))
      if (prk.length === size && len <= 255 * size) expect(ours.length).toBe(2 * len)
    }), { numRuns: 150 })
  })

  it('ExpandWithLabel and a secret-tree ratchet (DeriveTreeSecret per generation): same secrets', async () => {
    const label = fc.constantFrom('key', 'nonce', 'secret', 'tree', 'sender data', 'epoch', 'exporter', 'external')
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: size, maxLength: size }), label, bytes(80), fc.integer({ min: 1, max: 2 * size }), async (secret, l, context, len) => {
      const info = kdfLabel(l, context, len)
      expect(toHex(await dak.kdf.expand(secret, info, len))).toBe(toHex(await reference.kdf.expand(secret, info, len)))
      // A ratchet: each generation's secret keys the next, as the secret tree does.
      let ours: Uint8Array = secret
      let theirs: Uint8Array = secret
      for (let generation = 0; generation < 8; generation++) {
        const context = new Uint8Array([0, 0, 0, generation])
        ours = await dak.kdf.expand(ours, kdfLabel('secret', context, size), size)
        theirs = await reference.kdf.expand(theirs, kdfLabel('secret', context, size), size)
      }
      expect(toHex(ours)).toBe(toHex(theirs))
    }), { numRuns: 40 })
  })

  it('hash and MAC: same digests and tags, same MAC verdicts', async () => {
    await fc.assert(fc.asyncProperty(bytes(400), fc.uint8Array({ minLength: 1, maxLength: 130 }), async (data, key) => {
      expect(toHex(await dak.hash.digest(data))).toBe(toHex(await reference.hash.digest(data)))
      const tag = await reference.hash.mac(key, data)
      expect(toHex(await dak.hash.mac(key, data))).toBe(toHex(tag))
      expect(await dak.hash.verifyMac(key, tag, data)).toBe(true)
      const forged = tag.slice()
      forged[0] = (forged[0] ?? 0) ^ 1
      expect(await dak.hash.verifyMac(key, forged, data)).toBe(await reference.hash.verifyMac(key, forged, data))
    }), { numRuns: 60 })
  })

  it('AEAD of MLS messages: same ciphertexts, each opens the other\'s', async () => {
    const key = fc.uint8Array({ minLength: reference.hpke.keyLength, maxLength: reference.hpke.keyLength })
    const nonce = fc.uint8Array({ minLength: reference.hpke.nonceLength, maxLength: reference.hpke.nonceLength })
    await fc.assert(fc.asyncProperty(key, nonce, bytes(60), bytes(300), async (k, n, aad, plaintext) => {
      const sealed = await reference.hpke.encryptAead(k, n, aad, plaintext)
      expect(toHex(await dak.hpke.encryptAead(k, n, aad, plaintext))).toBe(toHex(sealed))
      expect(toHex(await dak.hpke.decryptAead(k, n, aad, sealed))).toBe(toHex(plaintext))
      const tampered = sealed.slice()
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
      expect(await outcome(async () => await dak.hpke.decryptAead(k, n, aad, tampered))).toBe('failed')
    }), { numRuns: 60 })
  })

  it('Ed25519: same signatures from either key encoding; each verifies the other\'s; both refuse a changed message or signature', async () => {
    await fc.assert(fc.asyncProperty(fc.boolean(), bytes(300), fc.nat(), async (fromDak, message, flip) => {
      // Keys as each provider makes them: PKCS #8, 48 bytes.
      const { signKey, publicKey } = await (fromDak ? dak : reference).signature.keygen()
      expect(signKey.length).toBe(48)
      const signature = await reference.signature.sign(signKey, message)
      expect(toHex(await dak.signature.sign(signKey, message))).toBe(toHex(signature))
      // The raw 32-byte seed inside is accepted too, by both.
      const seed = signKey.slice(16)
      expect(toHex(await dak.signature.sign(seed, message))).toBe(toHex(signature))
      expect(toHex(await reference.signature.sign(seed, message))).toBe(toHex(signature))
      expect(await dak.signature.verify(publicKey, message, signature)).toBe(true)
      expect(await reference.signature.verify(publicKey, message, await dak.signature.sign(signKey, message))).toBe(true)

      const badSignature = signature.slice()
      badSignature[flip % 64] = (badSignature[flip % 64] ?? 0) ^ (1 << (flip % 8))
      const badMessage = concatBytes(message, new Uint8Array([flip & 0xff]))
      for (const [m, s] of [[message, badSignature], [badMessage, signature]] as const) {
        expect(await dak.signature.verify(publicKey, m, s)).toBe(false)
        expect(await outcome(async () => await reference.signature.verify(publicKey, m, s))).not.toBe('true')
      }
    }), { numRuns: 60 })
  })

  it('Ed25519: a public key or signature of the wrong length is refused, not thrown', async () => {
    const { signKey, publicKey } = await dak.signature.keygen()
    const message = utf8('dak/v1/provider-test')
    const signature = await dak.signature.sign(signKey, message)
    expect(await dak.signature.verify(publicKey.subarray(1), message, signature)).toBe(false)
    expect(await dak.signature.verify(publicKey, message, signature.subarray(1))).toBe(false)
    expect(await outcome(async () => await reference.signature.verify(publicKey.subarray(1), message, signature))).not.toBe('true')
  })

  it('a private key in an encoding neither form matches is left to ts-mls, which decides as before', async () => {
    const { signKey } = await dak.signature.keygen()
    const message = utf8('dak/v1/provider-test')
    for (const odd of [signKey.subarray(0, 47), concatBytes(signKey, new Uint8Array([0])), new Uint8Array(48)]) {
      const ours = await outcome(async () => await dak.signature.sign(odd, message))
      expect(ours).toBe(await outcome(async () => await reference.signature.sign(odd, message)))
    }
  })

  it('KDF, signing and verifying settle before they return: no thread-pool round trip', async () => {
    const secret = new Uint8Array(size).fill(7)
    const { signKey, publicKey } = await dak.signature.keygen()
    const message = utf8('dak/v1/provider-test')
    const signature = await dak.signature.sign(signKey, message)
    expect(await isSettled(dak.kdf.extract(new Uint8Array(0), secret))).toBe(true)
    expect(await isSettled(dak.kdf.expand(secret, kdfLabel('key', new Uint8Array(4), 32), 32))).toBe(true)
    expect(await isSettled(dak.signature.sign(signKey, message))).toBe(true)
    expect(await isSettled(dak.signature.verify(publicKey, message, signature))).toBe(true)
    expect(await isSettled(dak.hash.digest(message))).toBe(true)
    // The check can fail: the reference's WebCrypto calls are still pending when returned.
    expect(await isSettled(reference.kdf.expand(secret, kdfLabel('key', new Uint8Array(4), 32), 32))).toBe(false)
    expect(await isSettled(reference.signature.verify(publicKey, message, signature))).toBe(false)
  })
})

describe('Dak provider', () => {
  it('refuses a suite ts-mls does not know, as ts-mls\'s providers do', async () => {
    await expect(dakCryptoProvider.getCiphersuiteImpl(0x7777)).rejects.toThrow(/ciphersuite/i)
  })
})
