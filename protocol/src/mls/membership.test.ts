import { createCommit, createProposal, defaultProposalTypes, processMessage as tsProcessMessage, unsafeTestingAuthenticationService } from 'ts-mls'
import { describe, expect, it } from 'vitest'
import { fromUtf8, toHex, utf8 } from '../bytes.js'
import { ForbiddenCommitError, FutureEpochError, NotAMemberError } from '../errors.js'
import { proposeCommit, proposeLeave, proposeSelfUpdate } from './commit.js'
import { applyPendingCommit } from './pending.js'
import { decodeFramed, encodeMlsMessage } from './framing.js'
import { encryptMessage, processMessage } from './messages.js'
import { verifyKeyPackage } from './keypackages.js'
import { isRemoved, members, restoreState, serialiseState, type ConversationState } from './state.js'
import { loadSuite, clientConfig } from './suite.js'
import { BUDGET, ctx, deliverCommit, makeDevice, makeGroup } from './test-fixtures.js'
import { department, seededKey } from '../identity/test-fixtures.js'
import { TrustStore } from '../identity/trust.js'

function at (states: ConversationState[], i: number): ConversationState {
  const state = states[i]
  if (state == null) throw new Error(`no state ${i}`)
  return state
}

describe('removal', () => {
  it('locks a removed member out of the next message, with a typed error either way', async () => {
    const made = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    // Cy refreshes its keys first, so it holds private keys for parent nodes, not just its leaf.
    const states = await deliverCommit(await proposeSelfUpdate(at(made.states, 2), ctx), 2, made.states)
    const cy = made.devices[2]?.device.publicKey ?? new Uint8Array()
    const cyCopy = await restoreState(serialiseState(at(states, 2))) // for the raw ts-mls attempt below
    const pending = await proposeCommit(at(states, 0), { remove: [cy] }, ctx)
    expect(pending.removed.map(c => c.handle)).toEqual(['cy.diaz'])
    // ts-mls rc.10 gives a one-member removal no update path: the epoch it opens is sealed
    // and an empty commit with a path follows at once.
    const followUp = pending.followUp
    if (followUp == null) throw new Error('expected a follow-up commit')
    expect(followUp.epoch).toBe(3n)
    const sealed = applyPendingCommit(at(states, 0), pending)
    expect(sealed.sealed).toBe(true)
    await expect(encryptMessage(sealed, utf8('too early'))).rejects.toThrow(/removal without update path/)
    const asha = applyPendingCommit(sealed, followUp)
    expect(asha.sealed).toBe(false)

    let bo = await processMessage(at(states, 1), pending.commitBytes, ctx)
    if (bo.kind !== 'commit') throw new Error('expected a commit')
    expect(bo.removed.map(c => c.handle)).toEqual(['cy.diaz'])
    expect(bo.state.sealed).toBe(true)
    bo = await processMessage(bo.state, followUp.commitBytes, ctx)
    expect(bo.state.sealed).toBe(false)
    expect(members(bo.state).map(c => c.handle)).toEqual(['asha.rao', 'bo.chen'])

    const next = await encryptMessage(asha, utf8('after cy left'))
    const read = await processMessage(bo.state, next.messageBytes, ctx)
    expect(read.kind === 'application' && fromUtf8(read.plaintext)).toBe('after cy left')

    // Cy, not having seen the commit yet: the message is from an epoch it will never reach.
    await expect(processMessage(at(states, 2), next.messageBytes, ctx)).rejects.toThrow(FutureEpochError)
    // Cy processes the commit: told it was removed, then refused as a non-member.
    const cy2 = await processMessage(at(states, 2), pending.commitBytes, ctx)
    expect(cy2.kind === 'commit' && cy2.removedSelf).toBe(true)
    expect(isRemoved(cy2.state)).toBe(true)
    await expect(processMessage(cy2.state, next.messageBytes, ctx)).rejects.toThrow(NotAMemberError)
    await expect(encryptMessage(cy2.state, utf8('still here?'))).rejects.toThrow(NotAMemberError)

    // The cryptographic lockout, not just our guard. Cy running ts-mls itself, ignoring its
    // removal, reaches the sealed epoch (that is the rc.10 bug)...
    const suite = await loadSuite()
    const raw = { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() }
    const cyRaw = await tsProcessMessage({ context: raw, state: cyCopy.mls, message: decodeFramed(pending.commitBytes) })
    expect(cyRaw.newState.groupContext.epoch).toBe(3n)
    // ...but holds no private key for any node of that epoch's tree, so the follow-up's path
    // secrets (encrypted to those nodes) are closed to it, and so is the epoch after.
    const cyNodes = Object.keys(cyCopy.mls.privatePath.privateKeys).map(Number)
    expect(cyNodes.length).toBeGreaterThan(1)
    for (const node of cyNodes) {
      expect(sealed.mls.ratchetTree[node]).toBeUndefined()
    }
    await expect(tsProcessMessage({ context: raw, state: cyRaw.newState, message: decodeFramed(next.messageBytes) })).rejects.toThrow()
  })

  it('refuses, on receipt, a commit without path that would leave the sealed epoch open', async () => {
    const { devices, states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    const pending = await proposeCommit(at(states, 0), { remove: [devices[2]?.device.publicKey ?? new Uint8Array()] }, ctx)
    const bo = await processMessage(at(states, 1), pending.commitBytes, ctx)
    expect(bo.state.sealed).toBe(true)
    // Asha's client bypassed: from the sealed epoch, an add-only commit (no path, and a Welcome into it).
    const deeKp = await (await makeDevice('dee.ek')).keyPackage()
    const dee = await verifyKeyPackage(deeKp.publicBytes, ctx)
    await expect(proposeCommit(pending.pendingState, { add: [deeKp.publicBytes] }, ctx)).rejects.toThrow(/commit of their own/)
    const suite = await loadSuite()
    const forged = await createCommit({
      context: { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() },
      state: pending.pendingState.mls,
      wireAsPublicMessage: true,
      extraProposals: [{ proposalType: defaultProposalTypes.add, add: { keyPackage: dee.keyPackage } }]
    })
    await expect(processMessage(bo.state, encodeMlsMessage(forged.commit), ctx)).rejects.toThrow(/must carry one/)
  })

  it('lets any member leave: its own Remove proposal, committed by a non-admin', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    const leave = await proposeLeave(at(states, 2))
    const asha = await processMessage(at(states, 0), leave.proposalBytes, ctx)
    const bo = await processMessage(at(states, 1), leave.proposalBytes, ctx)
    expect(bo.kind === 'proposal' && bo.leaving.handle).toBe('cy.diaz')
    const pending = await proposeCommit(bo.state, {}, ctx)
    expect(pending.removed.map(c => c.handle)).toEqual(['cy.diaz'])
    expect(pending.followUp).toBeDefined() // one removal: no path from ts-mls rc.10, so a follow-up
    const [a, b, c] = await deliverCommit(pending, 1, [asha.state, bo.state, leave.state])
    expect(members(a as ConversationState).map(m => m.handle)).toEqual(['asha.rao', 'bo.chen'])
    expect(members(b as ConversationState)).toHaveLength(2)
    expect([a, b].map(s => (s as ConversationState).sealed)).toEqual([false, false])
    expect(isRemoved(c as ConversationState)).toBe(true)
  })
})

describe('a commit that arrives before the proposal it references', () => {
  it('gives a typed error naming the cause, and applies once the proposal is in', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    const leave = await proposeLeave(at(states, 2))
    const asha = await processMessage(at(states, 0), leave.proposalBytes, ctx)
    const pending = await proposeCommit(asha.state, {}, ctx)
    const before = serialiseState(at(states, 1))
    await expect(processMessage(at(states, 1), pending.commitBytes, ctx)).rejects.toThrow(/references a proposal not received yet/)
    expect(serialiseState(at(states, 1))).toEqual(before)
    const bo = await processMessage(at(states, 1), leave.proposalBytes, ctx)
    const done = await processMessage(bo.state, pending.commitBytes, ctx)
    expect(done.kind === 'commit' && done.removed.map(c => c.handle)).toEqual(['cy.diaz'])
  })

  it('refuses standalone proposals other than a member\'s own leave', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const suite = await loadSuite()
    const raw = { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() }
    // Bo proposes to remove Asha: a proposal Dak never makes.
    const proposal = await createProposal({ context: raw, state: at(states, 1).mls, wireAsPublicMessage: true, proposal: { proposalType: defaultProposalTypes.remove, remove: { removed: 0 } } })
    await expect(processMessage(at(states, 0), encodeMlsMessage(proposal.message), ctx)).rejects.toThrow(ForbiddenCommitError)
  })
})

describe('who may change membership', () => {
  it('refuses a non-admin\'s add when proposing, and every member refuses such a commit', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    const dee = await makeDevice('dee.ek')
    const kp = await dee.keyPackage()
    await expect(proposeCommit(at(states, 1), { add: [kp.publicBytes] }, ctx)).rejects.toThrow(ForbiddenCommitError)

    // Bo bypasses Dak's own check by calling ts-mls directly: the receivers still refuse.
    const suite = await loadSuite()
    const { keyPackage } = await verifyKeyPackage(kp.publicBytes, ctx)
    const forged = await createCommit({
      context: { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() },
      state: at(states, 1).mls,
      wireAsPublicMessage: true,
      extraProposals: [{ proposalType: defaultProposalTypes.add, add: { keyPackage } }]
    })
    const bytes = encodeMlsMessage(forged.commit)
    for (const i of [0, 2]) {
      const before = serialiseState(at(states, i))
      await expect(processMessage(at(states, i), bytes, ctx)).rejects.toThrow(expect.objectContaining({ name: 'ForbiddenCommitError', message: expect.stringMatching(/bo.chen is not an admin/) }))
      expect(serialiseState(at(states, i))).toEqual(before)
    }
  })

  it('lets a non-admin add a device of its own officer (linked devices), and every member applies it; not a namesake of another department', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    const boPhone = await makeDevice('bo.chen', { fields: { devicePublicKey: seededKey('bo phone').publicKey } })
    const pending = await proposeCommit(at(states, 1), { add: [(await boPhone.keyPackage()).publicBytes] }, ctx)
    expect(pending.added.map(c => c.handle)).toEqual(['bo.chen'])
    const after = await deliverCommit(pending, 1, states)
    expect(members(at(after, 0)).filter(c => c.handle === 'bo.chen')).toHaveLength(2)
    // and remove it again (dak device remove): Cy he still may not remove
    const removal = await proposeCommit(at(after, 1), { remove: [seededKey('bo phone').publicKey] }, ctx)
    expect(removal.removed.map(c => c.handle)).toEqual(['bo.chen'])
    const cyKey = members(at(after, 1)).find(c => c.handle === 'cy.diaz')?.devicePublicKey ?? new Uint8Array()
    await expect(proposeCommit(at(after, 1), { remove: [cyKey] }, ctx)).rejects.toThrow(ForbiddenCommitError)
    // a device under the same handle certified by another department is not Bo's
    const elsewhere = await makeDevice('bo.chen', { dept: department('moh'), fields: { devicePublicKey: seededKey('bo elsewhere').publicKey } })
    const otherDept = { ...ctx, trust: new TrustStore([BUDGET.entry, department('moh').entry]) }
    await expect(proposeCommit(at(after, 1), { add: [(await elsewhere.keyPackage()).publicBytes] }, otherDept)).rejects.toThrow(/bo.chen is not an admin and may add only devices of its own/)
    // the others read it as Bo's word that the phone is no longer his (contacts stop adding it)
    const seen = await processMessage(at(after, 2), removal.commitBytes, ctx)
    expect(seen.kind === 'commit' && seen.disowned?.map(c => toHex(c.devicePublicKey))).toEqual([toHex(seededKey('bo phone').publicKey)])
    // an admin removing another officer's device is no such word
    const byAdmin = await proposeCommit(at(after, 0), { remove: [seededKey('bo phone').publicKey] }, ctx)
    const seenByAdmin = await processMessage(at(after, 1), byAdmin.commitBytes, ctx)
    expect(seenByAdmin.kind === 'commit' && seenByAdmin.disowned).toEqual([])
  })

  it('refuses a non-admin removing someone else', async () => {
    const { devices, states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    await expect(proposeCommit(at(states, 1), { remove: [devices[2]?.device.publicKey ?? new Uint8Array()] }, ctx)).rejects.toThrow(ForbiddenCommitError)
  })

  it('lets a non-admin update its own leaf', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    const pending = await proposeSelfUpdate(at(states, 2), ctx)
    const after = await deliverCommit(pending, 2, states)
    const sent = await encryptMessage(at(after, 2), utf8('fresh keys'))
    const read = await processMessage(at(after, 0), sent.messageBytes, ctx)
    expect(read.kind === 'application' && read.sender.handle).toBe('cy.diaz')
  })

  it('refuses to add a device that is already a member', async () => {
    const { devices, states } = await makeGroup(['asha.rao', 'bo.chen'])
    const again = await devices[1]?.keyPackage()
    await expect(proposeCommit(at(states, 0), { add: [again?.publicBytes ?? new Uint8Array()] }, ctx)).rejects.toThrow(ForbiddenCommitError)
  })
})
