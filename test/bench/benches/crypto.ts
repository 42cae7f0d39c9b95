import { createPublicKey, verify as nodeVerify, webcrypto } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { signFor, signingKeyPairFromSeed, verifyFor } from '@dak/protocol'
import { fillerBytes, ratio, sig } from '../lib/stats.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'
import { verifierOver } from '../../../protocol/src/identity/ed25519-async.browser.js'

/**
 * Not a figure of the issue: the primitive that the profiles of figures 1–4
 * pointed at. Dak's own signatures (envelopes, certificates, receipts) go
 * through protocol/src/identity/keys.ts: on Node.js node:crypto behind strict
 * encoding checks and a key cache (ed25519.node.ts), in the browser
 * @noble/curves in pure JS (ed25519.noble.ts). MLS signatures go through
 * Dak's provider (protocol/src/mls/sync-signature.ts): the same node:crypto
 * path on Node.js; in the browser, where ts-mls's interface lets verification
 * wait, the strict checks, then WebCrypto with cached keys, then noble for
 * what WebCrypto refuses (ed25519-async.browser.ts). ts-mls's own providers
 * import the key into WebCrypto on every call. Verifying one envelope-sized
 * message: Dak's verifyFor ÷ Node's native Ed25519 (OpenSSL) with the key
 * imported every time, ÷ WebCrypto with the key imported every time; the
 * browser's envelope path and its MLS path ÷ the same WebCrypto. The MLS path
 * runs here over Node.js's WebCrypto (OpenSSL), not a browser's.
 */

const SPKI_ED25519_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])

async function perOp (count: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, count); i++) await fn() // warm-up
  const start = performance.now()
  for (let i = 0; i < count; i++) await fn()
  return (performance.now() - start) / count
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const n = bench.quick ? 50 : 400
  const key = signingKeyPairFromSeed(fillerBytes(32, 3))
  const message = fillerBytes(400, 4)
  const signature = signFor('envelope', key.privateKey, message)
  // What verifyFor signs over: the domain tag, a NUL, the message.
  const tagged = new Uint8Array([...new TextEncoder().encode('dak/v1/envelope'), 0, ...message])
  const spki = new Uint8Array([...SPKI_ED25519_PREFIX, ...key.publicKey])

  bench.progress(`Ed25519 verify, ${n} each`)
  const dakVerify = await perOp(n, () => { verifyFor('envelope', key.publicKey, message, signature, 'envelope') })
  const nobleLoose = await perOp(n, () => ed25519.verify(signature, tagged, key.publicKey))
  const native = await perOp(n, () => {
    if (!nodeVerify(null, tagged, createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), signature)) throw new Error('bad signature')
  })
  const subtle = webcrypto.subtle
  const web = await perOp(n, async () => {
    const k = await subtle.importKey('raw', key.publicKey, 'Ed25519', false, ['verify'])
    if (!await subtle.verify('Ed25519', k, signature, tagged)) throw new Error('bad signature')
  })
  const dakSign = await perOp(n, () => signFor('envelope', key.privateKey, message))
  const browserPath = await perOp(n, () => { if (!ed25519.verify(signature, tagged, key.publicKey, { zip215: false })) throw new Error('bad signature') })
  const browserMlsVerify = verifierOver(globalThis.crypto.subtle)
  const browserMls = await perOp(n, async () => { if (!await browserMlsVerify(signature, tagged, key.publicKey)) throw new Error('bad signature') })
  // A bad signature takes the strict noble fallback (ed25519.node.ts): what a flood of forgeries costs per envelope.
  const forged = signature.slice()
  forged[0] = (forged[0] ?? 0) ^ 1
  const rejected = await perOp(Math.min(n, 50), () => { try { verifyFor('envelope', key.publicKey, message, forged, 'envelope') } catch { return } throw new Error('a forged signature verified') })

  const figures: Figure[] = [
    {
      key: 'crypto.ed25519-verify-native',
      label: 'Ed25519 verify as Dak does it on Node.js (node:crypto, strict checks, key cache)',
      value: sig(dakVerify * 1000),
      unit: 'µs',
      baseline: { label: 'node:crypto (OpenSSL), key imported each time', value: sig(native * 1000), unit: 'µs' },
      ratio: ratio(dakVerify, native),
      note: `a forged signature is refused in ${sig(rejected * 1000)} µs (the strict pure-JS check confirms every native refusal); sign: ${sig(dakSign * 1000)} µs`
    },
    {
      key: 'crypto.ed25519-verify-webcrypto',
      label: 'Ed25519 verify as Dak does it on Node.js ÷ WebCrypto, key imported per verify (ts-mls\'s own providers)',
      value: sig(dakVerify * 1000),
      unit: 'µs',
      baseline: { label: 'WebCrypto Ed25519 (async)', value: sig(web * 1000), unit: 'µs' },
      ratio: ratio(dakVerify, web),
      note: `noble without the strict (zip215: false) check: ${sig(nobleLoose * 1000)} µs`
    },
    {
      key: 'crypto.ed25519-verify-browser',
      label: 'Ed25519 verify as Dak does it in the browser for envelopes and certificates (@noble/curves, strict)',
      value: sig(browserPath * 1000),
      unit: 'µs',
      baseline: { label: 'WebCrypto Ed25519 (async)', value: sig(web * 1000), unit: 'µs' },
      ratio: ratio(browserPath, web)
    },
    {
      key: 'crypto.ed25519-verify-browser-mls',
      label: 'Ed25519 verify as Dak does it in the browser for MLS (strict checks, WebCrypto with cached key; run on Node.js\'s WebCrypto)',
      value: sig(browserMls * 1000),
      unit: 'µs',
      baseline: { label: 'WebCrypto Ed25519 (async), key imported per verify', value: sig(web * 1000), unit: 'µs' },
      ratio: ratio(browserMls, web)
    }
  ]
  return { figures, details: { microseconds: { dakVerify: dakVerify * 1000, nobleLoose: nobleLoose * 1000, native: native * 1000, webcrypto: web * 1000, dakSign: dakSign * 1000, browserPath: browserPath * 1000, browserMls: browserMls * 1000, rejected: rejected * 1000 } } }
}

export const crypto: Benchmark = {
  id: 'crypto',
  title: 'Ed25519: Dak (Node.js and browser paths) vs native',
  budgetSeconds: { full: 15, quick: 5 },
  run
}
