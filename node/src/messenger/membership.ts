import { ownKeepOp } from './carry.js'
import {
  applyPendingCommit, DakError, discardPendingCommit, EnvelopeKind, fromHex, fromUtf8, groupIdOfState, members, openCommitAck, openEnvelope, policyOf, proposeCommit,
  toHex, utf8, bytesEqual, verifyKeyPackage, type Certificate, type ConversationState, type OpenedEnvelope, type PendingCommit
} from '@dak/protocol'
import type { OutboxEntry, StoreOp } from '../storage/index.js'
import type { ChatMessage } from './api.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { officerOf } from './officers.js'
import { controlEntryOp, OUTBOX } from './outgoing.js'
import type { DepartmentPort } from './ports.js'
import { sealPayload } from './sealing.js'
import { directTitle, membersOf, summarise } from './summaries.js'
import { conversationTopic, inboxTopic } from '@dak/protocol/department'
import { appliedOps, sequencerKey } from './commit-acks.js'
import { submissionFor } from './commit-submission.js'
import { heldDeviceLine } from './new-devices.js'
import { directEndedBy } from './direct-ended.js'
import { LANE } from './precedence-lanes.js'

/** A device to add has no key package anywhere in reach yet (just enrolled, not uploaded): the change waits in the outbox. */
export class KeyPackageUnavailableError extends DakError { override name = 'KeyPackageUnavailableError' }

/** The group's sequencer is not reachable now: the change waits in the outbox. */
export class SequencerUnreachableError extends DakError { override name = 'SequencerUnreachableError' }
/** Another member's commit took this epoch first: it was applied and the change will be retried. */
export class CommitLostRaceError extends DakError { override name = 'CommitLostRaceError' }

/** A membership change waiting in the outbox: handles to add, device keys (hex) to remove. */
export interface MembershipIntent {
  add: string[]
  remove: string[]
  /** Sent as INFO once the change is committed, so new members learn the conversation's name. */
  info?: { title: string, direct: boolean }
}

export async function queueMembership (ctx: EngineContext, conversationId: string, intent: MembershipIntent): Promise<void> {
  await ctx.store.outbox.add({ id: 'm' + toHex(ctx.randomBytes(16)), conversationId, kind: OUTBOX.membership, payload: utf8(JSON.stringify(intent)), createdAt: ctx.now(), lane: LANE.first })
  ctx.kick()
}

function parseIntent (payload: Uint8Array): MembershipIntent {
  const value = JSON.parse(fromUtf8(payload)) as Partial<MembershipIntent>
  return { add: Array.isArray(value.add) ? value.add.map(String) : [], remove: Array.isArray(value.remove) ? value.remove.map(String) : [], ...(value.info != null ? { info: value.info } : {}) }
}

/**
 * Carry out a membership change: key packages for the new devices, a commit,
 * the sequencer's acknowledgement, and only then apply it and send Welcomes.
 * Applying before the acknowledgement would fork the group (MLS.md pitfall 2).
 */
export function membershipRunner (ctx: EngineContext, directory: Directory, processWinner: (winner: OpenedEnvelope) => Promise<void>) {
  /**
   * Key packages of the devices to add, for each handle: only devices this
   * device has accepted (new-devices.ts). A package for a device not seen
   * before is verified and learnt first, so a device the department node
   * enrolled under a known handle is announced, and left out with a line here.
   */
  async function keyPackagesFor (conversationId: string, handles: string[], department: DepartmentPort | undefined, present: Set<string>): Promise<Uint8Array[]> {
    const packages: Uint8Array[] = []
    const held: Certificate[] = []
    for (const handle of handles) {
      const before = packages.length
      const covered = new Set<string>()
      if (department != null) {
        const fetched = await department.fetchKeyPackages(handle)
        for (const bytes of fetched) {
          const { certificate } = await verifyKeyPackage(bytes, ctx.verifyContext())
          const deviceKey = toHex(certificate.devicePublicKey)
          if (certificate.handle !== handle || present.has(deviceKey)) continue
          covered.add(deviceKey)
          await directory.learn(certificate)
          // the node still holds packages of a device its officer removed (until IT revokes it): not theirs to add now
          if (await directory.isRemovedByItsOfficer(deviceKey)) continue
          if (await directory.isAccepted(deviceKey)) packages.push(bytes)
          else held.push(certificate)
        }
        if (fetched.length > 0 && packages.length > before) continue
      }
      // no node, or the node has nothing new of this officer: ask the officer's devices in reach themselves
      const missing: string[] = []
      for (const device of await directory.require(handle)) {
        const deviceKey = toHex(device.devicePublicKey)
        if (present.has(deviceKey) || covered.has(deviceKey) || await directory.isRemovedByItsOfficer(deviceKey)) continue
        if (!(await directory.isAccepted(deviceKey))) {
          held.push(device)
          continue
        }
        try {
          packages.push(await ctx.mesh.requestKeyPackage(device.devicePublicKey))
        } catch (err) {
          if (department == null) throw err
          missing.push(deviceKey)
        }
      }
      // a device just linked has not uploaded its packages yet: the change waits (the outbox retries) rather than add nobody
      if (packages.length === before && missing.length > 0) throw new KeyPackageUnavailableError(`no key package of ${handle}'s device ${missing[0]?.slice(0, 12) ?? ''} is at the department node or in reach yet`)
    }
    await noteHeld(conversationId, held)
    return packages
  }

  /** One line per held device and conversation, however often the change is retried. */
  async function noteHeld (conversationId: string, held: Certificate[]): Promise<void> {
    for (const certificate of held) {
      const line = heldDeviceLine(ctx, conversationId, certificate)
      if (await ctx.store.messages.has(line.id)) continue
      await ctx.store.messages.add(line)
      ctx.emitter.emit('message', line)
    }
  }

  /**
   * Have one pending commit accepted by the sequencer (or by ourselves when we
   * are it), then apply it. The ops persist the commit envelope for delivery.
   */
  async function sequence (current: ConversationState, pending: PendingCommit): Promise<{ id: string, state: ConversationState, ops: StoreOp[], ack?: Uint8Array, winner?: OpenedEnvelope }> {
    const sequencer = policyOf(current).sequencer
    const topic = conversationTopic(groupIdOfState(current))
    let commit = await sealPayload(ctx, EnvelopeKind.COMMIT, topic, pending.commitBytes)
    let ack: Uint8Array | undefined
    if (sequencer !== ctx.keys.peerId) {
      const department = ctx.departments.connected().find(d => d.id === sequencer)
      if (department == null) throw new SequencerUnreachableError(`sequencer ${sequencer} of this conversation is not reachable`)
      const outcome = await department.submitCommit(groupIdOfState(current), pending.epoch, commit.envelope.bytes, submissionFor(ctx, current, pending))
      if (!outcome.accepted) {
        discardPendingCommit(pending)
        // the winner came with its ack beside it: members need both to apply it
        return { id: toHex(commit.envelope.id), state: current, ops: commit.ops, winner: { ...openEnvelope(outcome.winner, ctx.now()), sequencerAck: outcome.ack } }
      }
      // what members get is the commit with the sequencer's ack inside (same sender sequence: the first copy goes nowhere)
      ack = outcome.ack
      commit = await sealPayload(ctx, EnvelopeKind.COMMIT, topic, pending.commitBytes, ack)
    }
    const id = toHex(commit.envelope.id)
    return {
      id,
      ack,
      state: applyPendingCommit(current, pending),
      ops: [
        ...commit.ops,
        ...(ack != null ? appliedOps(ctx, toHex(groupIdOfState(current)), openCommitAck(ack, sequencerKey(sequencer) ?? new Uint8Array(0))) : []),
        { type: 'seen', id, at: ctx.now() },
        { type: 'outbox-add', entry: { id, conversationId: commit.envelope.topic, kind: OUTBOX.sealedOther, payload: commit.envelope.bytes, createdAt: ctx.now(), lane: LANE.first } },
        ownKeepOp(ctx, commit.envelope.topic, commit.envelope)
      ]
    }
  }

  return async function run (entry: OutboxEntry): Promise<void> {
    const intent = parseIntent(entry.payload)
    const conversation = await ctx.store.conversations.get(entry.conversationId)
    const state = conversation == null ? undefined : await ctx.groups.get(conversation.groupId)
    if (conversation == null || state == null || conversation.closed != null) {
      // gone, or this device is out of it: nothing it could commit
      await ctx.store.outbox.complete(entry.id)
      return
    }
    const sequencer = policyOf(state).sequencer
    const department = ctx.departments.connected().find(d => d.id === sequencer)
    if (sequencer !== ctx.keys.peerId && department == null) throw new SequencerUnreachableError(`sequencer ${sequencer} of this conversation is not reachable`)

    const present = new Set(conversation.members.map(m => m.deviceKey))
    const addPackages = await keyPackagesFor(conversation.id, intent.add, department ?? ctx.departments.connected()[0], present)
    const winner = await ctx.serial(async (): Promise<OpenedEnvelope | undefined> => {
      const current = await ctx.groups.get(conversation.groupId)
      if (current == null) return undefined
      const present = new Set(members(current).map(c => toHex(c.devicePublicKey)))
      const pending = await proposeCommit(current, { add: addPackages, remove: intent.remove.filter(k => present.has(k)).map(fromHex) }, ctx.verifyContext())
      const first = await sequence(current, pending)
      if (first.winner != null) return first.winner
      let next = first.state
      const ops: StoreOp[] = [...first.ops, { type: 'outbox-complete', id: entry.id }]
      if (pending.followUp != null) {
        // A removal without an update path opens an epoch nothing may be sent in: close it at once.
        const second = await sequence(next, pending.followUp)
        ops.push(...second.ops)
        if (second.winner == null) next = second.state
      }
      const me = officerOf(ctx.keys.certificate)
      const everyone = members(next)
      const admins = policyOf(next).admins
      const latest = await ctx.store.conversations.get(conversation.id) ?? conversation
      const invited = (latest.invited ?? []).filter(handle => !intent.add.includes(handle))
      const keepTitle = directTitle(latest, pending.removed)
      // a direct chat whose other officer this commit removed (left, revoked) is over: closed, title and history kept
      const ended = invited.length === 0 ? directEndedBy(ctx, latest, pending.removed, membersOf(everyone)) : undefined
      ops.push(
        ctx.groups.persistOp(conversation.groupId, next),
        { type: 'conversation-update', id: conversation.id, changes: { members: membersOf(everyone), admins: everyone.filter(c => admins.some(a => bytesEqual(a, c.devicePublicKey))).map(c => c.handle), invited, ...(keepTitle != null ? { title: keepTitle } : {}), ...(ended != null ? { closed: ended } : {}) } }
      )
      if (pending.welcomeBytes != null) {
        for (const added of pending.added) {
          const welcome = await sealPayload(ctx, EnvelopeKind.WELCOME, inboxTopic(added.devicePublicKey), pending.welcomeBytes, first.ack)
          ops.push(...welcome.ops, { type: 'outbox-add', entry: { id: toHex(welcome.envelope.id), conversationId: welcome.envelope.topic, kind: OUTBOX.sealedOther, payload: welcome.envelope.bytes, createdAt: ctx.now(), lane: LANE.first } })
        }
      }
      const notes: ChatMessage[] = [
        // a direct chat opens with its two officers, not with a line saying one added the other
        ...(conversation.kind === 'direct' ? [] : pending.added.map(c => `${me.displayName} added ${c.displayName}`)),
        ...pending.removed.map(c => `${me.displayName} removed ${c.displayName}`)
      ].map((text, i) => ({ id: `${first.id}-${i}`, conversationId: conversation.id, sender: me, fromMe: true, kind: 'system', text, sentAt: ctx.now(), state: 'stored' }))
      for (const message of notes) ops.push({ type: 'message-add', message })
      // the conversation's info for those added, queued with the commit that added them: never a moment when the
      // change is done and its info not yet waiting (a command's settle saw the outbox empty there and exited early)
      if (intent.info != null && intent.add.length > 0) ops.push(controlEntryOp(ctx, conversation.id, { kind: 'info', title: intent.info.title, direct: intent.info.direct, clientId: ctx.randomBytes(16) }))
      await ctx.store.commit(ops)
      ctx.groups.remember(conversation.groupId, next)
      for (const certificate of pending.added) await directory.learn(certificate)
      for (const message of notes) ctx.emitter.emit('message', message)
      // members and waitingFor changed (a waiting direct chat is ready now): every client hears it, not only the one that asked
      const updated = await ctx.store.conversations.get(conversation.id)
      if (updated != null) ctx.emitter.emit('conversation', await summarise(ctx, directory, updated))
      return undefined
    })
    if (winner != null) {
      // Catch up with the commit that won, then let the outbox retry this change on top of it.
      await processWinner(winner)
      throw new CommitLostRaceError('another commit won this epoch; retrying on top of it')
    }
    ctx.kick()
  }

}
