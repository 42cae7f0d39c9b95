import fc from 'fast-check'
import { ed25519 } from '@noble/curves/ed25519.js'
import { numberToBytesLE } from '@noble/curves/utils.js'
import { describe, expect, it } from 'vitest'
import * as chosen from '#ed25519-async'
import { toHex } from '../bytes.js'
import * as browser from './ed25519-async.browser.js'
import * as nodeAsync from './ed25519-async.node.js'
import { craftedCases, withTorsion, type Ed25519Case } from './ed25519-test-cases.js'
import * as noble from './ed25519.noble.js'

// Both variants have the shape sync-signature.ts calls: a type error here if they part.
const variants: Array<typeof chosen> = [nodeAsync, browser]

/**
 * The browser's verifier over Node.js's WebCrypto (Node.js 24 has Ed25519 in
 * crypto.subtle), counting what it asks WebCrypto and what WebCrypto answers.
 */
function observedWebCrypto (): { subtle: SubtleCrypto, imports: () => number, refusals: () => number, accepts: () => number } {
  const real = globalThis.crypto.subtle
  let imports = 0
  let refusals = 0
  let accepts = 0
  const subtle = {
    async importKey (format: 'raw', keyData: BufferSource, algorithm: AlgorithmIdentifier, extractable: boolean, usages: KeyUsage[]) {
      imports++
      return await real.importKey(format, keyData, algorithm, extractable, usages)
    },
    async verify (algorithm: AlgorithmIdentifier, key: CryptoKey, signature: BufferSource, data: BufferSource) {
      const ok = await real.verify(algorithm, key, signature, data)
      if (ok) accepts++
      else refusals++
      return ok
    }
  } as unknown as SubtleCrypto
  return { subtle, imports: () => imports, refusals: () => refusals, accepts: () => accepts }
}

/**
 * A WebCrypto as loose on encodings as ZIP 215 (OpenSSL 3.0 was close): it
 * accepts non-canonical encodings and small-order keys. Node.js 24's OpenSSL
 * refuses every crafted case by itself, so only through this one do the byte
 * checks of ed25519-strict.ts show: without them, forgeries under small-order
 * keys would pass.
 */
function looseWebCrypto (): SubtleCrypto {
  return {
    async importKey (_format: 'raw', keyData: Uint8Array) {
      return { raw: keyData.slice() }
    },
    async verify (_algorithm: AlgorithmIdentifier, key: { raw: Uint8Array }, signature: Uint8Array, data: Uint8Array) {
      return ed25519.verify(signature, data, key.raw, { zip215: true })
    }
  } as unknown as SubtleCrypto
}

const web = observedWebCrypto()
const viaWebCrypto = browser.verifierOver(web.subtle)
const viaLooseWebCrypto = browser.verifierOver(looseWebCrypto())
const nobleOnly = browser.verifierOver(undefined)

/** The verdicts of the browser path (over real, loose and no WebCrypto) and of Node.js's, which must all be noble's strict one; returns it. */
async function agreed ({ signature, message, publicKey }: Ed25519Case): Promise<boolean> {
  const verdict = noble.verify(signature, message, publicKey)
  const what = `key ${toHex(publicKey)} sig ${toHex(signature)} message ${toHex(message)}`
  expect(await viaWebCrypto(signature, message, publicKey), `browser (WebCrypto) vs noble, ${what}`).toBe(verdict)
  expect(await viaLooseWebCrypto(signature, message, publicKey), `browser (loose WebCrypto) vs noble, ${what}`).toBe(verdict)
  expect(await nobleOnly(signature, message, publicKey), `browser (no WebCrypto) vs noble, ${what}`).toBe(verdict)
  expect(await nodeAsync.verify(signature, message, publicKey), `Node.js vs noble, ${what}`).toBe(verdict)
  return verdict
}

const seeds = fc.uint8Array({ minLength: 32, maxLength: 32 })
const messages = fc.uint8Array({ maxLength: 300 })
const crafted = craftedCases(noble.sign, noble.publicKeyOf)

const honest = fc.tuple(seeds, messages).map(([seed, message]) => ({ signature: noble.sign(message, seed), message, publicKey: noble.publicKeyOf(seed) }))
const flipped = fc.tuple(honest, fc.nat(), fc.constantFrom('signature', 'message', 'publicKey') as fc.Arbitrary<keyof Ed25519Case>).map(([c, at, where]) => {
  const bytes = c[where].slice()
  if (bytes.length > 0) bytes[(at >> 3) % bytes.length]! ^= 1 << (at & 7)
  return { ...c, [where]: bytes }
})
const random = fc.record({ signature: fc.uint8Array({ minLength: 63, maxLength: 65 }), message: messages, publicKey: fc.uint8Array({ minLength: 31, maxLength: 33 }) })
const torsion = fc.tuple(seeds, messages, fc.integer({ min: 1, max: 7 }), fc.boolean()).map(([seed, message, t, inKey]) => {
  const { mixedKey, mixedR } = withTorsion(seed, message, t)
  return inKey ? mixedKey : mixedR
})

describe('Ed25519 verification for MLS: WebCrypto in the browser, node:crypto on Node.js, noble\'s verdicts', () => {
  it('Node.js resolves #ed25519-async to the node:crypto variant', () => {
    expect(chosen.verify).toBe(nodeAsync.verify)
    expect(variants).toHaveLength(2)
  })

  it('property: the browser path gives noble\'s strict verdict on honest, flipped, random, crafted and torsioned input', async () => {
    const verdicts = { true: 0, false: 0 }
    await fc.assert(fc.asyncProperty(fc.oneof(honest, flipped, random, fc.constantFrom(...crafted), torsion), async (c) => {
      verdicts[`${await agreed(c)}`]++
    }), { numRuns: 200 })
    // both verdicts were reached, so neither path can be a constant
    expect(verdicts.true).toBeGreaterThan(20)
    expect(verdicts.false).toBeGreaterThan(20)
  })

  it('every crafted case (non-canonical, small-order, S >= L, forgeries, speccheck): noble\'s verdict', async () => {
    const verdicts = []
    for (const c of crafted) verdicts.push(await agreed(c))
    expect(crafted.length).toBeGreaterThan(300)
    // accepted: the honest signature, the 14 torsioned ones, speccheck 4-8; everything else is refused
    expect(verdicts.filter(v => v)).toHaveLength(1 + 14 + 5)
  })

  it('honest signatures are accepted by WebCrypto itself, importing each key once', async () => {
    const before = { imports: web.imports(), accepts: web.accepts() }
    const seed = new Uint8Array(32).fill(31)
    const publicKey = noble.publicKeyOf(seed)
    for (let i = 0; i < 20; i++) {
      const message = new Uint8Array([i])
      expect(await viaWebCrypto(noble.sign(message, seed), message, publicKey)).toBe(true)
    }
    expect(web.accepts() - before.accepts).toBe(20)
    expect(web.imports() - before.imports).toBe(1)
  })

  // Where WebCrypto's exact equation (OpenSSL here, BoringSSL in Chromium) and
  // noble's cofactored one part: noble accepts, so the browser must too.
  it('accepts what WebCrypto alone refuses but noble accepts: a small-order component in A or R', async () => {
    const before = web.refusals()
    await fc.assert(fc.asyncProperty(torsion, async (c) => {
      expect(await agreed(c)).toBe(true)
    }), { numRuns: 40 })
    // If this fails, WebCrypto checks the cofactored equation and the noble fallback is not reached here.
    expect(web.refusals() - before).toBeGreaterThan(0)
  })

  it('the default verifier uses the global WebCrypto and agrees', async () => {
    for (const c of crafted.slice(0, 60)) expect(await browser.verify(c.signature, c.message, c.publicKey)).toBe(noble.verify(c.signature, c.message, c.publicKey))
  })

  it('a browser without Ed25519 in WebCrypto: asked once, then noble decides', async () => {
    let imports = 0
    const withoutEd25519 = {
      async importKey () {
        imports++
        throw new DOMException('Unrecognized name.', 'NotSupportedError')
      },
      async verify () { throw new Error('never reached: no key was imported') }
    } as unknown as SubtleCrypto
    const verify = browser.verifierOver(withoutEd25519)
    for (const c of crafted.slice(0, 40)) expect(await verify(c.signature, c.message, c.publicKey)).toBe(noble.verify(c.signature, c.message, c.publicKey))
    expect(imports).toBe(1)
  })

  it('checks the bytes it was given, even if the caller changes them while WebCrypto works', async () => {
    const seed = new Uint8Array(32).fill(32)
    const message = new Uint8Array([33])
    const publicKey = noble.publicKeyOf(seed)
    const signature = noble.sign(message, seed)
    const pending = viaWebCrypto(signature, message, publicKey)
    signature.fill(0)
    publicKey.fill(0)
    expect(await pending).toBe(true)
  })

  it('still verifies after more senders than it keeps imported keys for', async () => {
    const verify = browser.verifierOver(globalThis.crypto.subtle)
    const message = new Uint8Array([34])
    const senders = Array.from({ length: 1100 }, (_, i) => {
      const seed = numberToBytesLE(BigInt(i + 1), 32)
      return { publicKey: noble.publicKeyOf(seed), signature: noble.sign(message, seed) }
    })
    for (const { publicKey, signature } of [...senders, ...senders.slice(0, 10)]) {
      expect(await verify(signature, message, publicKey)).toBe(true)
    }
    expect(await verify(senders[1]!.signature, message, senders[0]!.publicKey)).toBe(false)
  })
})
