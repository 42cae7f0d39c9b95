import { sha256 } from '@noble/hashes/sha2.js'
import {
  createCommit, createGroupInfoWithExternalPubAndRatchetTree, defaultProposalTypes, joinGroupExternal, proposeAddExternal, senderTypes,
  unsafeTestingAuthenticationService, wireformats, type GroupInfo, type MlsFramedMessage
} from 'ts-mls'
import { afterEach, describe, expect, it } from 'vitest'
import {
  applyPendingCommit, createGroup, createKeyPackage, decodeAppContent, epochOfState, fromHex, groupIdOfState, policyOf, joinFromWelcome, loadSuite, proposeCommit, proposeSelfUpdate,
  restoreState, RevocationState, serialiseState, toHex, type ConversationState, type KeyPackageBundle
} from '@dak/protocol'
import { decodeFramed, encodeMlsMessage } from '../../protocol/src/mls/framing.js'
import { openKeyPackageBundle } from '../../protocol/src/mls/keypackages.js'
import { clientConfig } from '../../protocol/src/mls/suite.js'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { inboxTopic } from '@dak/protocol/department'
import {
  connectAll, deviceKeyOf, EnvelopeKind, feed, forge, frame, groupIdOfConversation, historyOf, joined, Lab, memberHandles, rawAttacker, settle, shows, tap, waitFor, waitMembers
} from './lan.js'

/**
 * THREATS.md, "Infrastructure adding members silently" (the Matrix lesson): no
 * device receives keys unless an admin member's signed commit added it, and
 * members see every membership change in the conversation.
 *
 * The attacker controls the network and holds certified devices of its own
 * (Mallory, Trudy: enrolled, connected, known to everyone, members of nothing).
 * It tries every way in that does not go through an admin's commit, and injects
 * what it makes into the honest members through the door (receiveEnvelope):
 *   1. a non-admin member's add commit (Bala's keys, ts-mls called by hand), with its Welcome;
 *   2. a commit from a non-member: Mallory's own group under the same group id, at the same epoch;
 *   3. an Add proposal from outside the group (new_member_proposal, and an external-sender one);
 *   4. an external commit, from a GroupInfo a member leaked;
 *   5. a genuine Welcome (Dee's) re-addressed to Mallory.
 * Then the admin adds Dee and removes Chitra, for real.
 */

const lab = new Lab()
afterEach(async () => { await lab.stopAll() })

async function keyPackageFor (device: OpenDevice, keep: boolean): Promise<KeyPackageBundle> {
  const identity = await device.store.identity.get()
  const bundle = await createKeyPackage({ certificate: identity.certificate!, signatureKeyPair: identity.mlsSignatureKey!, suite: await loadSuite() })
  if (keep) await device.store.keyPackages.put({ ref: toHex(sha256(bundle.publicBytes)), publicBytes: bundle.publicBytes, privateBytes: bundle.privateBytes, createdAt: Date.now(), lastResort: false })
  return bundle
}

async function stateOf (device: OpenDevice, conversationId: string): Promise<ConversationState> {
  const bytes = await device.store.groups.get(groupIdOfConversation(conversationId))
  if (bytes == null) throw new Error('no group state')
  return await restoreState(bytes)
}

interface Snapshot { state: string, members: string[], history: number }

async function snapshotOf (device: OpenDevice, conversationId: string): Promise<Snapshot> {
  const bytes = await device.store.groups.get(groupIdOfConversation(conversationId))
  return { state: toHex(sha256(bytes!)), members: await memberHandles(device, conversationId), history: (await historyOf(device, conversationId)).length }
}

function textOf (plaintext: Uint8Array): string {
  try {
    const content = decodeAppContent(plaintext)
    return content.kind === 'text' ? content.text : content.kind
  } catch {
    return 'undecodable'
  }
}

describe('THREATS: infrastructure adding members silently', () => {
  it('no device gets keys without an admin\'s commit, and every real change is shown', async () => {
    await lab.provision('asha', 'bala', 'chitra', 'dee', 'mallory', 'trudy')
    const [a, b, c, d, m, t] = await Promise.all(['asha', 'bala', 'chitra', 'dee', 'mallory', 'trudy'].map(async h => await lab.open(h)))
    if (a == null || b == null || c == null || d == null || m == null || t == null) throw new Error('devices')
    await connectAll([a, b, c, d, m, t])
    await waitFor('asha knows everyone', async () => (await a.messenger.contacts()).length === 5)
    const wire = tap([a, b, c, d])
    const context = () => ({ trust: lab.authority.trust, revocations: new RevocationState(), now: Date.now() })
    const suite = await loadSuite()
    const raw = { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() }

    const group = await a.messenger.createGroup('Procurement board', ['bala', 'chitra'])
    await joined(b, group.id)
    await joined(c, group.id)
    await a.messenger.send(group.id, 'first minute')
    await shows(b, group.id, 'first minute')
    await shows(c, group.id, 'first minute')
    const honest = [a, b, c]
    await settle(honest, group.id, wire)
    const before = await Promise.all(honest.map(async x => await snapshotOf(x, group.id)))
    const mallorysConversations = async (): Promise<string[]> => (await m.messenger.conversations()).map(x => x.id)
    const forks: Array<{ label: string, state: ConversationState }> = []
    const malloryKey = await deviceKeyOf(m)
    const balaKey = await deviceKeyOf(b)

    // 1. Bala, a member but no admin, adds Mallory with ts-mls by hand, and signs the envelopes with his device key.
    const mKp = await keyPackageFor(m, true)
    const { keyPackage: mallorysKeyPackage, privatePackage: mallorysPrivate } = openKeyPackageBundle(mKp)
    const balaState = await stateOf(b, group.id)
    const forgedAdd = await createCommit({ context: raw, state: balaState.mls, wireAsPublicMessage: true, ratchetTreeExtension: true, extraProposals: [{ proposalType: defaultProposalTypes.add, add: { keyPackage: mallorysKeyPackage } }] })
    const forgedWelcome = encodeMlsMessage(forgedAdd.welcome!)
    await feed(a, [forge(balaKey, EnvelopeKind.COMMIT, group.id, encodeMlsMessage(forgedAdd.commit))])
    await feed(c, [forge(balaKey, EnvelopeKind.COMMIT, group.id, encodeMlsMessage(forgedAdd.commit))])
    await feed(m, [forge(balaKey, EnvelopeKind.WELCOME, inboxTopic(malloryKey.publicKey), forgedWelcome)])
    await m.messenger.idle()
    // The Welcome opens (Bala really did make it), but into a fork no honest member took.
    const viaBala = await joinFromWelcome(forgedWelcome, [mKp], context()).catch(() => undefined)
    if (viaBala != null) forks.push({ label: 'Welcome from a non-admin', state: viaBala.state })

    // 2. Mallory, a member of nothing, makes her own group under the same id, brings it to the same epoch and adds Trudy.
    const honestEpoch = epochOfState(await stateOf(a, group.id))
    let own = await createGroup({ groupId: fromHex(groupIdOfConversation(group.id)), sequencer: a.libp2p.peerId.toString(), admins: [malloryKey.publicKey], keyPackage: await keyPackageFor(m, false) }, context())
    while (epochOfState(own) < honestEpoch) own = applyPendingCommit(own, await proposeSelfUpdate(own, context()))
    const tKp = await keyPackageFor(t, true)
    const outsiderAdd = await proposeCommit(own, { add: [tKp.publicBytes] }, context())
    expect(frame(forge(malloryKey, EnvelopeKind.COMMIT, group.id, outsiderAdd.commitBytes)).epoch).toBe(honestEpoch)
    for (const x of honest) await feed(x, [forge(malloryKey, EnvelopeKind.COMMIT, group.id, outsiderAdd.commitBytes)])
    forks.push({ label: 'non-member\'s own group', state: applyPendingCommit(own, outsiderAdd) })

    // 3. An Add proposal from outside the group, with the group's current context (which the wire reveals to a patient observer).
    const groupInfo = { groupContext: balaState.mls.groupContext } as unknown as GroupInfo
    const newMemberProposal = await proposeAddExternal(groupInfo, mallorysKeyPackage, mallorysPrivate, suite.impl)
    const externalSender = structuredClone(newMemberProposal) as MlsFramedMessage
    if (externalSender.wireformat === wireformats.mls_public_message) externalSender.publicMessage.content.sender = { senderType: senderTypes.external, senderIndex: 0 }
    for (const x of honest) {
      await feed(x, [
        forge(malloryKey, EnvelopeKind.PROPOSAL, group.id, encodeMlsMessage(newMemberProposal)),
        forge(malloryKey, EnvelopeKind.PROPOSAL, group.id, encodeMlsMessage(externalSender))
      ])
    }

    // 4. Bala leaks a GroupInfo with the external key; Mallory joins by external commit.
    const leaked = await createGroupInfoWithExternalPubAndRatchetTree(balaState.mls, [], suite.impl)
    const external = await joinGroupExternal({ context: raw, groupInfo: leaked, keyPackage: mallorysKeyPackage, privateKeys: mallorysPrivate, resync: false })
    const externalCommit = encodeMlsMessage({ wireformat: wireformats.mls_public_message, version: leaked.groupContext.version, publicMessage: external.publicMessage } as MlsFramedMessage)
    expect(decodeFramed(externalCommit).wireformat).toBe(wireformats.mls_public_message)
    for (const x of honest) await feed(x, [forge(malloryKey, EnvelopeKind.COMMIT, group.id, externalCommit)])
    forks.push({ label: 'external commit', state: { suite: balaState.suite, sealed: false, mls: external.newState } })

    // Nothing moved at any honest member: same state, same members, no line in the conversation.
    await settle(honest, group.id, wire)
    expect(await Promise.all(honest.map(async x => await snapshotOf(x, group.id)))).toEqual(before)

    // The real changes: the admin adds Dee, then removes Chitra.
    await a.messenger.addMembers(group.id, ['dee'])
    await joined(d, group.id)
    for (const x of [a, b, c, d]) await waitMembers(x, group.id, ['asha', 'bala', 'chitra', 'dee'])
    await a.messenger.removeMember(group.id, 'chitra')
    for (const x of [a, b, d]) await waitMembers(x, group.id, ['asha', 'bala', 'dee'])
    await a.messenger.send(group.id, 'second minute')
    await b.messenger.send(group.id, 'third minute')
    await shows(d, group.id, 'second minute')
    await shows(d, group.id, 'third minute')
    await shows(a, group.id, 'third minute')

    // 5. Dee's genuine Welcome, re-addressed to Mallory's inbox.
    const deesWelcome = wire.envelopes.find(e => e.kind === EnvelopeKind.WELCOME && e.topic === inboxTopic(fromHex(d.messenger.whoami().deviceKey)))
    if (deesWelcome == null) throw new Error('Dee\'s Welcome not on the wire')
    const mallorysBefore = await mallorysConversations()
    await feed(m, [forge(malloryKey, EnvelopeKind.WELCOME, inboxTopic(malloryKey.publicKey), deesWelcome.payload)])
    await m.messenger.idle()
    expect(await mallorysConversations()).toEqual(mallorysBefore)

    // Every member saw every real change, as a line in the conversation, and nothing else.
    const system = async (x: OpenDevice): Promise<string[]> => (await historyOf(x, group.id)).filter(msg => msg.kind === 'system').map(msg => msg.text)
    expect(await system(a)).toEqual(['Asha added Bala', 'Asha added Chitra', 'Asha added Dee', 'Asha removed Chitra'])
    expect(await system(b)).toEqual(['Asha added Dee', 'Asha removed Chitra'])
    await waitFor('chitra sees her removal', async () => (await system(c)).length === 2, { subscribe: (wake) => c.messenger.on('message', wake) })
    expect(await system(c)).toEqual(['Asha added Dee', 'Asha removed Chitra'])
    expect(await system(d)).toEqual(['Asha removed Chitra'])

    // The injected devices read nothing: not through their messengers, fed every honest envelope...
    for (const x of [a, b, d]) await x.messenger.idle()
    const honestApplications = wire.envelopes.filter(e => e.topic === group.id && e.kind === EnvelopeKind.APPLICATION)
    const honestTexts = ['first minute', 'second minute', 'third minute']
    for (const attacker of [m, t]) {
      await feed(attacker, wire.envelopes)
      await attacker.messenger.idle()
      for (const conversation of await attacker.messenger.conversations()) {
        const shown = (await historyOf(attacker, conversation.id)).map(msg => msg.text)
        for (const text of honestTexts) expect(shown).not.toContain(text)
      }
    }
    // ...nor by hand, with ts-mls and the state of every fork they reached.
    let read = 0
    const readTexts: string[] = []
    for (const fork of forks) {
      const r = await rawAttacker(fork.state)
      for (const envelope of honestApplications) {
        const plaintext = await r.read(envelope.payload)
        if (plaintext != null) { read++; readTexts.push(`${fork.label}: ${textOf(plaintext)}`) }
      }
    }
    expect(readTexts).toEqual([])
    expect(forks.length).toBeGreaterThanOrEqual(3)
    for (const x of [a, b, d]) expect((await memberHandles(x, group.id))).toEqual(['asha', 'bala', 'dee'])

    console.info(`[threats] silent member: 7 injections (non-admin add + its Welcome, non-member commit, 2 outside proposals, external commit, re-addressed Welcome); ` +
      `honest state unchanged; ${forks.length} attacker forks x ${honestApplications.length} honest application envelopes: ${read} read; ` +
      `Mallory joined ${mallorysBefore.length} fork(s) of her own making`)
  }, 60_000)

  /**
   * The add rule is checked on commits, not on Welcomes: a device not yet in a
   * group cannot see the commit, only the Welcome. These show what that lets an
   * insider or a certified outsider do to a device that is about to be added.
   */
  describe('a device about to be added', () => {
    async function setup () {
      await lab.provision('asha', 'bala', 'chitra', 'dee', 'mallory')
      const devices = await Promise.all(['asha', 'bala', 'chitra', 'dee', 'mallory'].map(async h => await lab.open(h)))
      const [a, b, c, d, m] = devices as [OpenDevice, OpenDevice, OpenDevice, OpenDevice, OpenDevice]
      await connectAll(devices)
      await waitFor('asha knows everyone', async () => (await a.messenger.contacts()).length === 4)
      const group = await a.messenger.createGroup('Procurement board', ['bala', 'chitra'])
      await joined(b, group.id)
      await joined(c, group.id)
      const context = { trust: lab.authority.trust, revocations: new RevocationState(), now: Date.now() }
      return { a, b, c, d, m, group, context }
    }

    /** After the admin really adds Dee: Dee must be in the real group and read it. */
    async function realAddReachesDee (a: OpenDevice, d: OpenDevice, conversationId: string): Promise<void> {
      await a.messenger.addMembers(conversationId, ['dee'])
      await joined(d, conversationId)
      await waitMembers(a, conversationId, ['asha', 'bala', 'chitra', 'dee'])
      await a.messenger.send(conversationId, 'welcome, Dee')
      await shows(d, conversationId, 'welcome, Dee', 10_000)
      expect(await memberHandles(d, conversationId)).toEqual(['asha', 'bala', 'chitra', 'dee'])
    }

    // incoming.ts join() refuses a Welcome whose envelope is not signed by an admin of the group's
    // policy: a non-admin cannot pull a device into a fork.
    it('refuses a Welcome made by a non-admin member', async () => {
      const { b, d, group } = await setup()
      const dKp = await keyPackageFor(d, true)
      const suite = await loadSuite()
      const raw = { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() }
      const { keyPackage } = openKeyPackageBundle(dKp)
      const forged = await createCommit({ context: raw, state: (await stateOf(b, group.id)).mls, wireAsPublicMessage: true, ratchetTreeExtension: true, extraProposals: [{ proposalType: defaultProposalTypes.add, add: { keyPackage } }] })
      await feed(d, [forge(await deviceKeyOf(b), EnvelopeKind.WELCOME, inboxTopic(fromHex(d.messenger.whoami().deviceKey)), encodeMlsMessage(forged.welcome!))])
      await d.messenger.idle()
      expect(await d.messenger.conversations()).toEqual([])
    }, 60_000)

    // A conversation is keyed by its group id, which is on the wire (the topic name). A certified
    // outsider makes her own group under that id and Welcomes Dee into it before the admin adds her:
    // once under her own sequencer (so she can vouch for it), once under the real sequencer and salt
    // (read from a member's state: the salt is no secret). Dee joins neither (the first's id is not
    // the one its sequencer makes, the second's Welcome is not from its sequencer), so the real
    // Welcome is not kept out and Dee writes only into the real group (welcome-checks.ts).
    it('lets the admin\'s real add through even after a look-alike group under the same id', async () => {
      const { a, d, m, group, context } = await setup()
      const malloryKey = await deviceKeyOf(m)
      const groupId = fromHex(groupIdOfConversation(group.id))
      const realPolicy = policyOf(await stateOf(a, group.id))
      const dInbox = inboxTopic(fromHex(d.messenger.whoami().deviceKey))
      const refused: string[] = []
      d.messenger.on('error', (e) => { refused.push(e.name) })
      const lookAlikes = [
        { groupId, sequencer: m.libp2p.peerId.toString() },
        { idSalt: realPolicy.idSalt!, sequencer: realPolicy.sequencer }
      ]
      for (const options of lookAlikes) {
        const fake = await createGroup({ ...options, admins: [malloryKey.publicKey], keyPackage: await keyPackageFor(m, false) }, context)
        expect(groupIdOfState(fake)).toEqual(groupId)
        const pending = await proposeCommit(fake, { add: [(await keyPackageFor(d, true)).publicBytes] }, context)
        await feed(d, [forge(malloryKey, EnvelopeKind.WELCOME, dInbox, pending.welcomeBytes!)])
      }
      await d.messenger.idle()
      expect(await d.messenger.conversations()).toEqual([])
      expect(refused).toEqual(['UnboundGroupIdError', 'MissingSequencerAckError'])
      await realAddReachesDee(a, d, group.id)
      console.info(`[threats] group-id squatting: ${lookAlikes.length} look-alike Welcomes under the real id, ${refused.length} refused (${refused.join(', ')}); the admin's real add then reached Dee`)
    }, 60_000)
  })
})
