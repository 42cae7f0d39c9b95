import { generateSigningKeyPair, issueCertificate, issueRevocationList, RevocationState, TrustStore, type Certificate, type SigningKeyPair } from '@dak/protocol'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { officersTopicValidator } from './officers-topic.js'

const NOW = 1_790_000_000_000
const DAY = 86_400_000
const budget = { department: 'mof.budget', key: generateSigningKeyPair() }
const health = { department: 'moh.health', key: generateSigningKeyPair() }
const trust = new TrustStore([
  { department: budget.department, name: 'Budget', publicKey: budget.key.publicKey },
  { department: health.department, name: 'Health', publicKey: health.key.publicKey }
])
const relay = peerIdFromString('12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo')
const stranger = peerIdFromString('12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq')

function officer (authority: { department: string, key: SigningKeyPair }, handle: string, notAfter = NOW + DAY): Certificate {
  return issueCertificate(authority.key, {
    handle,
    displayName: handle,
    title: 'Section Officer',
    department: authority.department,
    devicePublicKey: generateSigningKeyPair().publicKey,
    mlsSignatureKey: generateSigningKeyPair().publicKey,
    notBefore: NOW - DAY,
    notAfter,
    serial: 1
  })
}

function validator (revocations = new RevocationState(), learned: string[] = []): ReturnType<typeof officersTopicValidator> {
  return officersTopicValidator({
    department: budget.department,
    verifyContext: () => ({ trust, revocations, now: NOW }),
    isVerifiedPeer: (peer) => peer.equals(relay),
    onOfficer: (certificate) => { learned.push(certificate.handle) }
  })
}

async function verdict (validate: ReturnType<typeof officersTopicValidator>, data: Uint8Array, from = relay): Promise<TopicValidatorResult> {
  return await validate(from, { type: 'unsigned', topic: 'dak/o/mof.budget', data })
}

describe('the officers topic validator', () => {
  it('accepts a certificate of its department that verifies now, and reports it once accepted', async () => {
    const learned: string[] = []
    expect(await verdict(validator(undefined, learned), officer(budget, 'asha').bytes)).toBe(TopicValidatorResult.Accept)
    expect(learned).toEqual(['asha'])
  })

  it('rejects forged, foreign, expired and revoked certificates, garbage, and anything an unverified peer forwards', async () => {
    const learned: string[] = []
    const asha = officer(budget, 'asha')
    const forged = asha.bytes.slice()
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 1
    const selfIssued = issueCertificate(generateSigningKeyPair(), { ...asha, serial: 2 })
    const revoked = officer(budget, 'bala')
    const revocations = new RevocationState()
    revocations.accept(issueRevocationList(budget.key, 1, NOW, [revoked.devicePublicKey]), trust)
    const validate = validator(revocations, learned)
    for (const data of [forged, selfIssued.bytes, officer(health, 'hari').bytes, officer(budget, 'old', NOW - 1).bytes, revoked.bytes, new Uint8Array([1, 2, 3]), new Uint8Array()]) {
      expect(await verdict(validate, data)).toBe(TopicValidatorResult.Reject)
    }
    expect(await verdict(validate, asha.bytes, stranger)).toBe(TopicValidatorResult.Reject)
    expect(learned).toEqual([])
  })
})
