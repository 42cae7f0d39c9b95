import { createCommit, defaultProposalTypes, unsafeTestingAuthenticationService } from 'ts-mls'
import { describe, expect, it } from 'vitest'
import { utf8 } from '../bytes.js'
import { ExpiredCertificateError, InvalidArgumentError, InvalidSignatureError, RevokedCertificateError, UntrustedAuthorityError } from '../errors.js'
import { department } from '../identity/test-fixtures.js'
import { proposeCommit } from './commit.js'
import { applyPendingCommit } from './pending.js'
import { encodeMlsMessage } from './framing.js'
import { joinFromWelcome } from './group.js'
import { createKeyPackage, verifyKeyPackage } from './keypackages.js'
import { encryptMessage, processMessage } from './messages.js'
import { auditMembers, serialiseState, type ConversationState } from './state.js'
import { clientConfig, loadSuite } from './suite.js'
import { issueRevocationList } from '../identity/revocation.js'
import { BUDGET, ctx, DAY, makeContext, makeDevice, makeGroup, NOW, ROGUE, type Device } from './test-fixtures.js'

const HEALTH = department('moh')

/** Three ways a certificate goes bad, each with its own error. */
const bad: Array<[string, () => Promise<{ device: Device, context: typeof ctx }>, new (message: string) => Error]> = [
  ['untrusted authority', async () => ({ device: await makeDevice('mallory', { dept: ROGUE }), context: ctx }), UntrustedAuthorityError],
  ['expired certificate', async () => ({ device: await makeDevice('old.timer', { fields: { notAfter: NOW - DAY } }), context: ctx }), ExpiredCertificateError],
  ['revoked certificate', async () => {
    const device = await makeDevice('lost.phone')
    return { device, context: makeContext({ revoked: [device] }) }
  }, RevokedCertificateError]
]

function first (states: ConversationState[]): ConversationState {
  if (states[0] == null) throw new Error('empty group')
  return states[0]
}

describe.each(bad)('a key package with: %s', (_label, make, ErrorClass) => {
  it('is refused by verifyKeyPackage and when adding', async () => {
    const { device, context } = await make()
    const kp = await device.keyPackage()
    await expect(verifyKeyPackage(kp.publicBytes, context)).rejects.toThrow(ErrorClass)
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    await expect(proposeCommit(first(states), { add: [kp.publicBytes] }, context)).rejects.toThrow(ErrorClass)
  })

  it('is refused by members processing a commit that adds it anyway', async () => {
    const { device, context } = await make()
    const kp = await device.keyPackage()
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const suite = await loadSuite()
    const { keyPackage } = await verifyKeyPackage(kp.publicBytes, makeContext({ alsoTrust: [ROGUE], now: NOW - 2 * DAY }))
    // The admin's own client is bypassed (ts-mls with no authentication service).
    const forged = await createCommit({
      context: { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() },
      state: first(states).mls,
      wireAsPublicMessage: true,
      extraProposals: [{ proposalType: defaultProposalTypes.add, add: { keyPackage } }]
    })
    const before = serialiseState(states[1] as ConversationState)
    await expect(processMessage(states[1] as ConversationState, encodeMlsMessage(forged.commit), context)).rejects.toThrow(ErrorClass)
    expect(serialiseState(states[1] as ConversationState)).toEqual(before)
  })
})

describe('joining', () => {
  it('refuses a Welcome whose tree holds a certificate the joiner does not accept', async () => {
    const nurse = await makeDevice('nurse.joy', { dept: HEALTH })
    const shortLived = await makeDevice('temp.staff', { fields: { notAfter: NOW + DAY } })
    const { states } = await makeGroup(['asha.rao'])
    const wide = makeContext({ alsoTrust: [HEALTH] })
    const joiner = await makeDevice('bo.chen')
    const kps = await Promise.all([nurse, shortLived, joiner].map(async d => await d.keyPackage()))
    const pending = await proposeCommit(first(states), { add: kps.map(k => k.publicBytes) }, wide)
    applyPendingCommit(first(states), pending)
    const welcome = pending.welcomeBytes ?? new Uint8Array()
    const joinerKp = kps[2] ?? kps[0]
    if (joinerKp == null) throw new Error('no key package')
    // Bo trusts only his own department; then later, when temp.staff has expired; then with temp.staff revoked.
    await expect(joinFromWelcome(welcome, [joinerKp], ctx)).rejects.toThrow(UntrustedAuthorityError)
    await expect(joinFromWelcome(welcome, [joinerKp], makeContext({ alsoTrust: [HEALTH], now: NOW + 2 * DAY }))).rejects.toThrow(ExpiredCertificateError)
    await expect(joinFromWelcome(welcome, [joinerKp], makeContext({ alsoTrust: [HEALTH], revoked: [shortLived] }))).rejects.toThrow(RevokedCertificateError)
    const joined = await joinFromWelcome(welcome, [joinerKp], wide)
    expect(joined.keyPackage).toBe(joinerKp)
  })
})

describe('a member revoked after joining', () => {
  it('has its messages refused, state unchanged, and is listed by auditMembers', async () => {
    const { devices, states } = await makeGroup(['asha.rao', 'bo.chen'])
    const bo = devices[1] as Device
    const sent = await encryptMessage(states[1] as ConversationState, utf8('from a stolen phone'))
    const revoked = makeContext({ revoked: [bo] })
    const before = serialiseState(first(states))
    await expect(processMessage(first(states), sent.messageBytes, revoked)).rejects.toThrow(RevokedCertificateError)
    expect(serialiseState(first(states))).toEqual(before)
    expect(auditMembers(first(states), revoked).map(p => [p.certificate.handle, p.problem.name])).toEqual([['bo.chen', 'RevokedCertificateError']])
    expect(auditMembers(first(states), ctx)).toEqual([])
  })
})

describe('the verification cache', () => {
  it('forgets a certificate once its authority revokes it or it expires', async () => {
    const { devices, states } = await makeGroup(['asha.rao', 'bo.chen'])
    const bo = devices[1] as Device
    const context = makeContext()
    const m1 = await encryptMessage(states[1] as ConversationState, utf8('one'))
    const m2 = await encryptMessage(m1.state, utf8('two'))
    const m3 = await encryptMessage(m2.state, utf8('three'))
    const read = await processMessage(first(states), m1.messageBytes, context)
    // Same trust store and revocation state objects: a new list must still take effect.
    context.revocations.accept(issueRevocationList(BUDGET.authority, 7, NOW, [bo.device.publicKey]), context.trust)
    await expect(processMessage(read.state, m2.messageBytes, context)).rejects.toThrow(RevokedCertificateError)
    const unrevoked = makeContext()
    const read2 = await processMessage(read.state, m2.messageBytes, unrevoked)
    await expect(processMessage(read2.state, m3.messageBytes, { ...unrevoked, now: NOW + 400 * DAY })).rejects.toThrow(ExpiredCertificateError)
  })
})

describe('key packages', () => {
  it('must be signed by the key the certificate certifies', async () => {
    const asha = await makeDevice('asha.rao')
    const other = await makeDevice('bo.chen')
    await expect(createKeyPackage({ certificate: asha.certificate.bytes, signatureKeyPair: other.signature })).rejects.toThrow(InvalidArgumentError)
  })

  it('with a flipped signature bit are refused', async () => {
    const kp = await (await makeDevice('asha.rao')).keyPackage()
    const tampered = kp.publicBytes.slice()
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    await expect(verifyKeyPackage(tampered, ctx)).rejects.toThrow(InvalidSignatureError)
    const ok = await verifyKeyPackage(kp.publicBytes, ctx)
    expect(ok.certificate.handle).toBe('asha.rao')
  })
})
