import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  compareSafetyQr, decodeAppContent, decodeCertificate, decodeInvite, fromHex, openEnvelope, parseInviteCode, RevocationState,
  toHex, TrustStore, verifyCertificate, verifyDirective, type Content
} from '@dak/protocol'
import { computeVectors, toJson } from '../vectors/compute.js'

/**
 * Golden vectors: recompute every vector and compare it with the committed
 * JSON, so a change to a wire format, a domain tag or a signature cannot pass
 * silently. If this fails after a deliberate format change, regenerate with
 * `npx tsx test/vectors/generate.ts` and review the diff (docs/protocol.md).
 */

function stored (file: string): any {
  return JSON.parse(readFileSync(new URL(`../vectors/${file}`, import.meta.url), 'utf8'))
}

const computed = computeVectors()

describe('golden vectors are what the code produces today', () => {
  for (const file of Object.keys(computed)) {
    it(file, () => {
      expect(computed[file]).toEqual(stored(file))
    })
  }
})

describe('the stored vectors decode and verify on their own', () => {
  const keys = stored('keys.json').keys
  const identity = stored('identity.json')
  const trust = TrustStore.decode(fromHex(identity.trustBundle.bytes))
  const now = identity.certificate.inputs.notBefore

  it('trust bundle and certificate', () => {
    expect(toJson(trust.authorities())).toEqual(identity.trustBundle.inputs.authorities)
    const certificate = verifyCertificate(fromHex(identity.certificate.bytes), { trust, revocations: new RevocationState(), now })
    const { bytes: _bytes, ...fields } = certificate
    expect(toJson(fields)).toEqual(identity.certificate.inputs)
    expect(toHex(decodeCertificate(fromHex(identity.certificate.bytes)).signature)).toBe(identity.certificate.signature)
  })

  it('revocation list', () => {
    const revocations = new RevocationState()
    const list = revocations.accept(fromHex(identity.revocationList.bytes), trust)
    const { bytes: _bytes, ...fields } = list
    expect(toJson(fields)).toEqual(identity.revocationList.inputs)
    expect(revocations.isRevoked(fromHex(keys.authority.publicKey), fromHex(keys.raviDevice.publicKey))).toBe(true)
  })

  it('invite', () => {
    const invite = stored('invite.json')
    const { linkBase: _linkBase, ...ticketFields } = invite.inputs
    for (const form of [fromHex(invite.bytes), invite.url, invite.link]) {
      const { version: _version, ...ticket } = decodeInvite(form)
      expect(toJson(ticket)).toEqual(ticketFields)
    }
    expect(toHex(parseInviteCode(invite.code))).toBe(invite.inputs.secret)
  })

  it('envelope', () => {
    const envelope = stored('envelope.json')
    const opened = openEnvelope(fromHex(envelope.bytes), envelope.inputs.timestamp)
    expect(toHex(opened.id)).toBe(envelope.messageId)
    expect(toJson({ kind: opened.kind, topic: opened.topic, timestamp: opened.timestamp, senderSeq: opened.senderSeq, payload: opened.payload, sender: opened.sender })).toEqual(envelope.inputs)
  })

  it('app content, and the directive verifies against the stored certificate', () => {
    const content = stored('content.json')
    for (const name of ['text', 'textReply', 'textFlash', 'receipt', 'directive']) {
      expect(toJson(decodeAppContent(fromHex(content[name].bytes))), name).toEqual(content[name].inputs)
    }
    const directive = decodeAppContent(fromHex(content.directive.bytes)) as Extract<Content, { kind: 'directive' }>
    expect(toHex(directive.directive.signerCertificate)).toBe(identity.certificate.bytes)
    const verified = verifyDirective(directive.directive, { trust, revocations: new RevocationState(), now: directive.directive.issuedAt })
    expect(verified.certificate.handle).toBe('asha.rao')
  })

  it('safety number QR payloads match each other', () => {
    const safety = stored('safety-number.json')
    const asha = { devicePublicKeys: [fromHex(safety.inputs.asha.devicePublicKey)], handle: safety.inputs.asha.handle }
    const ravi = { devicePublicKeys: [fromHex(safety.inputs.ravi.devicePublicKey)], handle: safety.inputs.ravi.handle }
    expect(compareSafetyQr(safety.raviQrPayload, asha, ravi)).toBe(true)
    expect(compareSafetyQr(safety.ashaQrPayload, ravi, asha)).toBe(true)
  })
})
