import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  applyPendingCommit, bytesEqual, createGroup, EnvelopeKind, groupIdOfState, FutureEpochError, InvalidArgumentError, InvalidSignatureError, joinFromWelcome, MalformedInputError,
  mlsHash, openCommitAck, proposeCommit, proposeLeave, processMessage, sealEnvelope, signGroupRegistration, type ConversationState, type PendingCommit
} from '@dak/protocol'
import { ctx, groupIdFor, makeDevice, NOW, type Device } from '../../../protocol/src/mls/test-fixtures.js'
import { openTempDb, STORE_BACKENDS, stopTestEngine, seededKey, type TempDb } from '../store/test-helpers.js'
import type { Db } from '../store/level.js'
import { CommitSequencer } from './commit-sequencer.js'

/** The registry's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)


  const node = seededKey('sequencer node')
  const nodePeerId = peerIdFromPublicKey(publicKeyFromRaw(node.publicKey)).toString()
  let temp: TempDb<Db>
  let seq = 0
  beforeEach(async () => { temp = await openTempDb(backend) })
  afterEach(async () => { await temp.cleanup() })

  function sealed (device: Device, commit: Uint8Array): Uint8Array {
    return sealEnvelope(device.device, { kind: EnvelopeKind.COMMIT, topic: 'group-topic', timestamp: NOW, senderSeq: ++seq, payload: commit }).bytes
  }

  /** Asha creates a group naming this node, and adds Bala and Chitra in the registered epoch-0 commit. */
  async function startGroup (sequencer: CommitSequencer) {
    const [asha, bala, chitra, mallory] = await Promise.all(['asha', 'bala', 'chitra', 'mallory'].map(async h => await makeDevice(h)))
    if (asha == null || bala == null || chitra == null || mallory == null) throw new Error('devices')
    const policy = { sequencer: nodePeerId, admins: [asha.device.publicKey], idSalt: groupIdFor(`sequencer ${Math.random()}`).slice(0, 16) }
    const created = await createGroup({ ...policy, keyPackage: await asha.keyPackage() }, ctx)
    const groupId = groupIdOfState(created)
    const packages = [await bala.keyPackage(), await chitra.keyPackage()]
    const add = await proposeCommit(created, { add: packages.map(p => p.publicBytes) }, ctx)
    const registration = signGroupRegistration(asha.device, groupId, policy)
    const first = sealed(asha, add.commitBytes)
    const outcome = await sequencer.submit(groupId, 0, first, NOW, { submitter: asha.device.publicKey, registration, welcomeHash: mlsHash(add.welcomeBytes!) })
    expect(outcome.accepted).toBe(true)
    const states = [applyPendingCommit(created, add), ...await Promise.all(packages.map(async p => (await joinFromWelcome(add.welcomeBytes!, [p], ctx)).state))]
    return { groupId, asha, bala, chitra, mallory, states, registration, ack: outcome.ack, add, first }
  }

  async function everyoneApplies (states: ConversationState[], pending: PendingCommit, author: number): Promise<ConversationState[]> {
    return await Promise.all(states.map(async (s, i) => {
      if (i === author) return applyPendingCommit(s, pending)
      const out = await processMessage(s, pending.commitBytes, ctx)
      return out.state
    }))
  }

  describe('CommitSequencer', () => {
    it('registers a group with its creator\'s first commit and signs an ack naming the commit and its Welcome', async () => {
      const sequencer = new CommitSequencer({ db: temp.db, nodeKey: node })
      const { groupId, asha, ack, add, first } = await startGroup(sequencer)
      const opened = openCommitAck(ack, node.publicKey)
      expect(opened).toMatchObject({ epoch: 0, sequence: 1 })
      expect(bytesEqual(opened.groupId, groupId)).toBe(true)
      expect(bytesEqual(opened.commitHash, mlsHash(add.commitBytes))).toBe(true)
      expect(bytesEqual(opened.welcomeHash, mlsHash(add.welcomeBytes!))).toBe(true)
      expect((await sequencer.rosterOf(groupId))?.leaves).toHaveLength(3)
      // a resubmission is accepted again with the same ack; the same commit in another envelope is not the winner
      expect(await sequencer.submit(groupId, 0, first, NOW, { submitter: asha.device.publicKey })).toEqual({ accepted: true, sequence: 1, ack })
      expect(await sequencer.submit(groupId, 0, sealed(asha, add.commitBytes), NOW, { submitter: asha.device.publicKey })).toMatchObject({ accepted: false, winner: first })
    })

    it('refuses an unregistered group, a registration by someone else, and a commit sealed by another device', async () => {
      const sequencer = new CommitSequencer({ db: temp.db, nodeKey: node })
      const [asha, mallory] = await Promise.all([makeDevice('asha'), makeDevice('mallory')])
      const groupId = groupIdFor('unregistered')
      const created = await createGroup({ groupId, sequencer: 'node', admins: [asha.device.publicKey], keyPackage: await asha.keyPackage() }, ctx)
      const update = await proposeCommit(created, {}, ctx)
      const envelope = sealed(asha, update.commitBytes)
      await expect(sequencer.submit(groupId, 0, envelope, NOW, { submitter: asha.device.publicKey })).rejects.toMatchObject({ name: 'GroupNotRegisteredError' })
      const mallorys = signGroupRegistration(mallory.device, groupId, { sequencer: 'node', admins: [mallory.device.publicKey] })
      await expect(sequencer.submit(groupId, 0, envelope, NOW, { submitter: asha.device.publicKey, registration: mallorys })).rejects.toMatchObject({ name: 'NotYourCommitError' })
      await expect(sequencer.submit(groupId, 0, envelope, NOW, { submitter: mallory.device.publicKey })).rejects.toMatchObject({ name: 'NotYourCommitError' })
      expect(await sequencer.isRegistered(groupId)).toBe(false)
    })

    // The creator subscribes to and registers the conversation topic (dak/c/<group id>) at creation, before its
    // first commit reaches the sequencer: every peer sees the id then. Mallory registers it first, as her own group.
    it('refuses a registration of an id not bound to this node, so an id seen on the wire cannot be taken before its creator\'s first commit', async () => {
      const sequencer = new CommitSequencer({ db: temp.db, nodeKey: node })
      const [asha, mallory] = await Promise.all([makeDevice('asha'), makeDevice('mallory')])
      const policy = { sequencer: nodePeerId, admins: [asha.device.publicKey], idSalt: new Uint8Array(16).fill(3) }
      const created = await createGroup({ ...policy, keyPackage: await asha.keyPackage() }, ctx)
      const groupId = groupIdOfState(created)
      const squats = [
        { sequencer: nodePeerId, admins: [mallory.device.publicKey], idSalt: new Uint8Array(16).fill(9) }, // her own salt: not this id
        { sequencer: nodePeerId, admins: [mallory.device.publicKey] }, // no salt at all
        { sequencer: 'another-node', admins: [mallory.device.publicKey], idSalt: policy.idSalt } // another sequencer
      ]
      const refused: string[] = []
      for (const squat of squats) {
        const own = await createGroup({ groupId, sequencer: squat.sequencer, admins: squat.admins, keyPackage: await mallory.keyPackage() }, ctx)
        const update = await proposeCommit(own, {}, ctx)
        await sequencer.submit(groupId, 0, sealed(mallory, update.commitBytes), NOW, { submitter: mallory.device.publicKey, registration: signGroupRegistration(mallory.device, groupId, squat) })
          .then(() => { refused.push('accepted') }, (err: Error) => { refused.push(err.name) })
      }
      expect(refused).toEqual(['UnboundGroupIdError', 'UnboundGroupIdError', 'UnboundGroupIdError'])
      expect(await sequencer.isRegistered(groupId)).toBe(false)
      const first = await proposeCommit(created, {}, ctx)
      expect(await sequencer.submit(groupId, 0, sealed(asha, first.commitBytes), NOW, { submitter: asha.device.publicKey, registration: signGroupRegistration(asha.device, groupId, policy) })).toMatchObject({ accepted: true })
    })

    it('takes no commit from outside the group, for any epoch, and still accepts the members\' next one', async () => {
      const sequencer = new CommitSequencer({ db: temp.db, nodeKey: node })
      const { groupId, asha, mallory, states } = await startGroup(sequencer)
      // Mallory's look-alike: her own group under the real id, brought to the real epoch
      let own = await createGroup({ groupId, sequencer: 'node', admins: [mallory.device.publicKey], keyPackage: await mallory.keyPackage() }, ctx)
      const first = await proposeCommit(own, {}, ctx)
      const mallorys = signGroupRegistration(mallory.device, groupId, { sequencer: 'node', admins: [mallory.device.publicKey] })
      await expect(sequencer.submit(groupId, 0, sealed(mallory, first.commitBytes), NOW, { submitter: mallory.device.publicKey, registration: mallorys })).rejects.toMatchObject({ name: 'NotYourCommitError' })
      own = applyPendingCommit(own, first)
      for (const epoch of [1, 2]) {
        const fake = await proposeCommit(own, {}, ctx)
        await expect(sequencer.submit(groupId, epoch, sealed(mallory, fake.commitBytes), NOW, { submitter: mallory.device.publicKey })).rejects.toMatchObject({ name: epoch === 1 ? 'NotAMemberError' : 'FutureEpochError' })
        own = applyPendingCommit(own, fake)
      }
      const real = await proposeCommit(states[0]!, {}, ctx)
      expect(await sequencer.submit(groupId, 1, sealed(asha, real.commitBytes), NOW, { submitter: asha.device.publicKey })).toMatchObject({ accepted: true, sequence: 2 })
    })

    it('lets admins add and remove, any member update itself, and a member\'s leave be carried by anyone', async () => {
      const sequencer = new CommitSequencer({ db: temp.db, nodeKey: node })
      const { groupId, asha, bala, chitra, mallory, states } = await startGroup(sequencer)
      // Bala is no admin: he may not add Mallory, nor remove Chitra
      const balaAdds = await proposeCommitAs(states[1]!, { add: [(await mallory.keyPackage()).publicBytes] })
      expect(balaAdds).toBeDefined()
      await expect(sequencer.submit(groupId, 1, sealed(bala, balaAdds!), NOW, { submitter: bala.device.publicKey })).rejects.toMatchObject({ name: 'ForbiddenCommitError' })
      // a commit sealed by Bala but sent under Chitra's name is refused
      const update = await proposeCommit(states[1]!, {}, ctx)
      await expect(sequencer.submit(groupId, 1, sealed(bala, update.commitBytes), NOW, { submitter: chitra.device.publicKey })).rejects.toMatchObject({ name: 'NotYourCommitError' })
      expect(await sequencer.submit(groupId, 1, sealed(bala, update.commitBytes), NOW, { submitter: bala.device.publicKey })).toMatchObject({ accepted: true })
      let now = await everyoneApplies(states, update, 1)
      // Chitra asks to leave; Bala's self-update carries her leave by reference and names her leaf
      const leave = await proposeLeave(now[2]!)
      now = await Promise.all(now.map(async (s, i) => i === 2 ? leave.state : (await processMessage(s, leave.proposalBytes, ctx)).state))
      const carries = await proposeCommit(now[1]!, {}, ctx)
      await expect(sequencer.submit(groupId, 2, sealed(bala, carries.commitBytes), NOW, { submitter: bala.device.publicKey })).rejects.toMatchObject({ name: 'ForbiddenCommitError' })
      expect(await sequencer.submit(groupId, 2, sealed(bala, carries.commitBytes), NOW, { submitter: bala.device.publicKey, leavingLeaves: [2] })).toMatchObject({ accepted: true })
      expect((await sequencer.rosterOf(groupId))?.leaves).toHaveLength(2)
      // Chitra, gone, learns what won the epoch she left in, but cannot take the next one
      expect(await sequencer.submit(groupId, 2, sealed(chitra, carries.commitBytes), NOW, { submitter: chitra.device.publicKey })).toMatchObject({ accepted: false, sequence: 3 })
      const after = await everyoneApplies(now.slice(0, 2), carries, 1)
      const next = await proposeCommit(after[0]!, {}, ctx)
      await expect(sequencer.submit(groupId, 3, sealed(chitra, next.commitBytes), NOW, { submitter: chitra.device.publicKey })).rejects.toMatchObject({ name: 'NotAMemberError' })
      expect(await sequencer.submit(groupId, 3, sealed(asha, next.commitBytes), NOW, { submitter: asha.device.publicKey })).toMatchObject({ accepted: true, sequence: 4 })
      // and once a later epoch is decided, she learns nothing of it
      await expect(sequencer.submit(groupId, 3, sealed(chitra, next.commitBytes), NOW, { submitter: chitra.device.publicKey })).rejects.toMatchObject({ name: 'NotYourCommitError' })
    })

    it('lets a member who is no admin add a device of its own officer (linked devices), and no one else\'s', async () => {
      const sequencer = new CommitSequencer({ db: temp.db, nodeKey: node })
      const { groupId, bala, chitra, mallory, states } = await startGroup(sequencer)
      // the attack first: Bala, no admin, adds Mallory's device, even showing his own certificate
      const balaAddsMallory = await proposeCommitAs(states[1]!, { add: [(await mallory.keyPackage()).publicBytes] })
      await expect(sequencer.submit(groupId, 1, sealed(bala, balaAddsMallory!), NOW, { submitter: bala.device.publicKey, submitterCertificate: bala.certificate })).rejects.toMatchObject({ name: 'ForbiddenCommitError' })
      // ... or a device enrolled under another handle with Chitra's certificate presented as his
      const balaPhone = await makeDevice('bala', { fields: { devicePublicKey: seededKey('bala phone').publicKey } })
      const addsPhone = await proposeCommit(states[1]!, { add: [(await balaPhone.keyPackage()).publicBytes] }, ctx)
      await expect(sequencer.submit(groupId, 1, sealed(bala, addsPhone.commitBytes), NOW, { submitter: bala.device.publicKey, submitterCertificate: chitra.certificate })).rejects.toMatchObject({ name: 'ForbiddenCommitError' })
      // without the connection's certificate the sequencer knows no officer: only admins add
      await expect(sequencer.submit(groupId, 1, sealed(bala, addsPhone.commitBytes), NOW, { submitter: bala.device.publicKey })).rejects.toMatchObject({ name: 'ForbiddenCommitError' })
      // his own second device (same handle, department and authority) he may add
      expect(await sequencer.submit(groupId, 1, sealed(bala, addsPhone.commitBytes), NOW, { submitter: bala.device.publicKey, submitterCertificate: bala.certificate, welcomeHash: mlsHash(addsPhone.welcomeBytes!) })).toMatchObject({ accepted: true })
      expect((await sequencer.rosterOf(groupId))?.leaves).toContain(Buffer.from(seededKey('bala phone').publicKey).toString('hex'))
      // and every member applies it: their own rules allow it too
      const after = await everyoneApplies(states, addsPhone, 1)
      expect(after).toHaveLength(3)
      // removal (dak device remove): his own other device he may remove, given the devices enrolled under his handle; Chitra he may not
      const phoneHex = Buffer.from(seededKey('bala phone').publicKey).toString('hex')
      const removesPhone = await proposeCommit(after[1]!, { remove: [seededKey('bala phone').publicKey] }, ctx)
      await expect(sequencer.submit(groupId, 2, sealed(bala, removesPhone.commitBytes), NOW, { submitter: bala.device.publicKey, submitterCertificate: bala.certificate })).rejects.toMatchObject({ name: 'ForbiddenCommitError' })
      const balaOwn = [Buffer.from(bala.device.publicKey).toString('hex'), phoneHex]
      const removesChitra = await proposeCommitAs(after[1]!, { remove: 2 })
      await expect(sequencer.submit(groupId, 2, sealed(bala, removesChitra!), NOW, { submitter: bala.device.publicKey, submitterCertificate: bala.certificate, officerDevices: balaOwn })).rejects.toMatchObject({ name: 'ForbiddenCommitError' })
      expect(await sequencer.submit(groupId, 2, sealed(bala, removesPhone.commitBytes), NOW, { submitter: bala.device.publicKey, submitterCertificate: bala.certificate, officerDevices: balaOwn })).toMatchObject({ accepted: true })
      expect((await sequencer.rosterOf(groupId))?.leaves).not.toContain(phoneHex)
    })

    it('lets exactly one of concurrent commits for one epoch win; the losers get it with its ack; decisions survive a restart', async () => {
      const sequencer = new CommitSequencer({ db: temp.db, nodeKey: node })
      const { groupId, asha, bala, chitra, states } = await startGroup(sequencer)
      const devices = [asha, bala, chitra]
      const pendings = await Promise.all(states.map(async s => await proposeCommit(s, {}, ctx)))
      const envelopes = pendings.map((p, i) => sealed(devices[i]!, p.commitBytes))
      const outcomes = await Promise.all(envelopes.map(async (e, i) => await sequencer.submit(groupId, 1, e, NOW, { submitter: devices[i]!.device.publicKey })))
      const won = outcomes.findIndex(o => o.accepted)
      expect(outcomes.filter(o => o.accepted)).toHaveLength(1)
      for (const o of outcomes) {
        expect(bytesEqual(openCommitAck(o.ack, node.publicKey).commitHash, mlsHash(pendings[won]!.commitBytes))).toBe(true)
        if (!o.accepted) expect(o.winner).toEqual(envelopes[won])
      }
      await temp.reopen()
      const reopened = new CommitSequencer({ db: temp.db, nodeKey: node })
      const loser = (won + 1) % 3
      expect(await reopened.submit(groupId, 1, envelopes[loser]!, NOW, { submitter: devices[loser]!.device.publicKey })).toMatchObject({ accepted: false, winner: envelopes[won] })
      const later = applyPendingCommit(applyPendingCommit(states[won]!, pendings[won]!), await proposeCommit(applyPendingCommit(states[won]!, pendings[won]!), {}, ctx))
      await expect(reopened.submit(groupId, 3, sealed(devices[won]!, (await proposeCommit(later, {}, ctx)).commitBytes), NOW, { submitter: devices[won]!.device.publicKey })).rejects.toThrow(FutureEpochError)
      expect((await reopened.commitsFrom(groupId, 0)).map(c => [c.epoch, c.sequence])).toEqual([[0, 1], [1, 2]])
    })

    it('refuses what is not a valid commit envelope, or a bad group or epoch, deciding nothing', async () => {
      const sequencer = new CommitSequencer({ db: temp.db, nodeKey: node })
      const { groupId, asha, states } = await startGroup(sequencer)
      const update = await proposeCommit(states[0]!, {}, ctx)
      const good = sealed(asha, update.commitBytes)
      const tampered = good.slice()
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
      const submitter = { submitter: asha.device.publicKey }
      await expect(sequencer.submit(groupId, 1, tampered, NOW, submitter)).rejects.toThrow(InvalidSignatureError)
      await expect(sequencer.submit(groupId, 1, sealEnvelope(asha.device, { kind: EnvelopeKind.APPLICATION, topic: 't', timestamp: NOW, senderSeq: 1, payload: update.commitBytes }).bytes, NOW, submitter)).rejects.toThrow(MalformedInputError)
      await expect(sequencer.submit(groupId, -1, good, NOW, submitter)).rejects.toThrow(InvalidArgumentError)
      await expect(sequencer.submit(new Uint8Array(0), 1, good, NOW, submitter)).rejects.toThrow(InvalidArgumentError)
      await expect(sequencer.submit(groupId, 1, good, NOW, { ...submitter, welcomeHash: mlsHash(good) })).rejects.toThrow(MalformedInputError)
      expect(await sequencer.submit(groupId, 1, good, NOW, submitter)).toMatchObject({ accepted: true, sequence: 2 })
    })
  })

  /** A commit by a non-admin, made with the rules skipped (proposeCommit refuses it on the device). */
  async function proposeCommitAs (state: ConversationState, options: { add: Uint8Array[] } | { remove: number }): Promise<Uint8Array | undefined> {
    const { createCommit, unsafeTestingAuthenticationService } = await import('ts-mls')
    const { loadSuite } = await import('@dak/protocol')
    const { clientConfig } = await import('../../../protocol/src/mls/suite.js')
    const { decodeMlsMessage, encodeMlsMessage } = await import('../../../protocol/src/mls/framing.js')
    const suite = await loadSuite(state.suite)
    let proposal
    if ('remove' in options) {
      proposal = { proposalType: 3 as const, remove: { removed: options.remove } }
    } else {
      const keyPackage = decodeMlsMessage(options.add[0]!)
      if (!('keyPackage' in keyPackage)) return undefined
      proposal = { proposalType: 1 as const, add: { keyPackage: keyPackage.keyPackage } }
    }
    const result = await createCommit({
      context: { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() },
      state: state.mls, wireAsPublicMessage: true, ratchetTreeExtension: true,
      extraProposals: [proposal]
    })
    return encodeMlsMessage(result.commit)
  }
})
