import {
  addsOwnDevice, bytesEqual, DakError, EnvelopeKind, groupIdOfState, joinFromWelcome, members, policyOf, processMessage, toHex, type OpenedEnvelope, type Processed,
  type SignedCommitAck
} from '@dak/protocol'
import { detectFork, MissingSequencerAckError, recordApplied, requireAck } from './commit-acks.js'
import type { StoreOp } from '../storage/index.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { closeConversation } from './closed.js'
import { FutureMessages } from './future-messages.js'
import { missingTotal, senderSeqOp } from './gaps.js'
import { timerOf } from './disappearing.js'
import { checkWelcome } from './welcome-checks.js'
import { historyRequestOps, importHistoryPart } from './history-import.js'
import { InboxBatch } from './inbox-batch.js'
import { inboxEffects } from './inbox-effects.js'
import { OUTBOX } from './outgoing.js'
import { receiptEntryOps, type DeliveryReceipts } from './receipts.js'
import { membersOf } from './summaries.js'
import { conversationTopic, inboxTopic } from '@dak/protocol/department'
import { componentLogger } from '../log.js'
import { LANE } from './precedence-lanes.js'

const log = componentLogger('messenger:incoming')

/** Errors that mean "this envelope will never be readable here": record it as seen and move on. */
const FINAL = new Set(['DuplicateMessageError', 'EpochTooOldError', 'NotAMemberError', 'ForbiddenCommitError', 'MlsError', 'MalformedInputError', 'TooLargeError',
  'UntrustedAuthorityError', 'ExpiredCertificateError', 'RevokedCertificateError', 'InvalidSignatureError', 'InvalidArgumentError'])

/** Rounds of retrying held envelopes after one change: each round can unlock the next epoch. */
const MAX_RELEASE_ROUNDS = 16

export interface Incoming {
  /** Process one envelope as it arrives (gossip, a direct hand-over): one commit, then events. Resolves when it is persisted (or dropped). */
  accept: (envelope: OpenedEnvelope) => Promise<void>
  /**
   * Process a page of stored envelopes (catch-up): its application messages in
   * one commit together with `last` (the page's cursor), then events. Commits,
   * proposals and Welcomes, which are rare, each get a commit of their own
   * between the batches. When it throws, nothing of the failing batch is
   * stored (nor `last`) and the cached group states are dropped: redo the page.
   */
  acceptPage: (envelopes: OpenedEnvelope[], last: StoreOp[], source?: EnvelopeSource) => Promise<void>
  /** Topics a freshly joined conversation needs (caller subscribes and registers). */
  onJoined: (handler: (conversationId: string) => void) => void
  /** A live envelope revealed messages missing in a conversation: worth asking the stores again. */
  onGap: (handler: (conversationId: string) => void) => void
}

/** Where a page of envelopes came from: a department store (it has them), or a member's carry (it may not). */
export type EnvelopeSource = 'store' | 'carry'

/** What the inbox needs of delay-tolerant carry (carry.ts): keeping what members sent. */
export interface Keeper {
  keepOp: (topic: string, envelope: OpenedEnvelope, deposit: boolean) => StoreOp
}

/**
 * The inbox: dedupe by envelope id before MLS sees anything, decrypt, persist
 * the new group state together with what it produced, then tell the UI.
 */
export function createIncoming (ctx: EngineContext, directory: Directory, receipts: DeliveryReceipts, keeper?: Keeper): Incoming {
  const future = new FutureMessages()
  const joinedHandlers: Array<(id: string) => void> = []
  const myKey = ctx.keys.device.publicKey
  const myInbox = inboxTopic(myKey)
  const effects = inboxEffects(ctx, directory)
  /** Missing messages last reported per conversation (0 unless said otherwise). */
  const reportedMissing = new Map<string, number>()
  const gapHandlers: Array<(conversationId: string) => void> = []
  /** Envelopes of a page, by where they came from (a held one released later has none: treated as live). */
  const sources = new WeakMap<OpenedEnvelope, EnvelopeSource>()

  async function accept (envelope: OpenedEnvelope): Promise<void> {
    if (await ctx.serial(async () => await acceptNow(envelope, true))) await releaseHeld()
  }

  /**
   * Held envelopes can only become readable after an epoch change or a join:
   * retry them then, and only then, so a flood of unreadable ones costs nothing per envelope.
   */
  async function releaseHeld (): Promise<void> {
    let changed = true
    for (let round = 0; changed && round < MAX_RELEASE_ROUNDS; round++) {
      changed = false
      for (const waiting of future.releaseAll()) {
        try {
          if (await ctx.serial(async () => await acceptNow(waiting, false))) changed = true
        } catch (err) {
          // not marked seen: a later catch-up brings it again; the others still get their turn
          log.error('a held envelope failed again: %e', err)
        }
      }
    }
  }

  /** Process one envelope in a batch of its own; true when it changed a group's epoch or joined one. */
  async function acceptNow (envelope: OpenedEnvelope, live: boolean): Promise<boolean> {
    return await inBatch(async (batch) => { await processInto(batch, envelope, live) }, [], false)
  }

  /**
   * Gather `work` into a batch and commit it with `extra`; on failure nothing is
   * stored and touched states are dropped. A page acknowledges its texts in its
   * own commit (one receipt per page, as durable as the messages); a single
   * envelope hands them to the coalescing receipts.
   */
  async function inBatch (work: (batch: InboxBatch) => Promise<void>, extra: StoreOp[], page: boolean): Promise<boolean> {
    const batch = new InboxBatch(ctx)
    try {
      await work(batch)
      if (page) {
        for (const [conversationId, ids] of batch.texts) extra = [...receiptEntryOps(ctx, conversationId, ids), ...extra]
        if (batch.texts.size > 0) batch.after.push(() => { ctx.kick() })
      } else {
        batch.after.push(() => { for (const [conversationId, ids] of batch.texts) for (const id of ids) receipts.add(conversationId, id) })
      }
      await batch.commit(extra)
    } catch (err) {
      batch.discard()
      throw err
    }
    return batch.changed
  }

  async function acceptPage (envelopes: OpenedEnvelope[], last: StoreOp[], source: EnvelopeSource = 'store'): Promise<void> {
    for (const envelope of envelopes) sources.set(envelope, source)
    let run: OpenedEnvelope[] = []
    const flush = async (extra: StoreOp[]): Promise<void> => {
      const these = run
      run = []
      const changed = await ctx.serial(async () => await inBatch(async (batch) => {
        for (const envelope of these) await processInto(batch, envelope, false)
      }, extra, true))
      if (changed) await releaseHeld()
    }
    for (const envelope of envelopes) {
      if (envelope.kind === EnvelopeKind.APPLICATION && envelope.topic !== myInbox) {
        run.push(envelope)
        continue
      }
      if (run.length > 0) await flush([])
      if (await ctx.serial(async () => await acceptNow(envelope, false))) await releaseHeld()
    }
    await flush(last)
  }

  /**
   * After `batch` is stored, see whether the conversation's missing messages
   * changed (once per conversation per batch): tell the UI, and when a live
   * envelope revealed a new gap, ask for a repair (the store may have it).
   */
  const gapChecks = new WeakMap<InboxBatch, Set<string>>()
  function watchGaps (batch: InboxBatch, conversationId: string, live: boolean): void {
    const checked = gapChecks.get(batch) ?? new Set<string>()
    gapChecks.set(batch, checked)
    if (checked.has(conversationId)) return
    checked.add(conversationId)
    batch.after.push(async () => {
      const total = await missingTotal(ctx, conversationId)
      const before = reportedMissing.get(conversationId) ?? 0
      if (total === before) return
      reportedMissing.set(conversationId, total)
      await effects.emitConversation(conversationId)
      if (live && total > before) for (const handler of gapHandlers) handler(conversationId)
    })
  }

  /** Decide what one envelope does and write it into `batch`. */
  async function processInto (batch: InboxBatch, envelope: OpenedEnvelope, live: boolean): Promise<void> {
    const id = toHex(envelope.id)
    if (batch.has(id) || await ctx.store.seen.has(id)) {
      if (live) await acknowledgeAgain(envelope, id)
      return
    }
    if (bytesEqual(envelope.sender, myKey)) {
      // Our own envelope echoed back by a store: we have it already (and MLS cannot decrypt its own messages).
      batch.seen(id)
      return
    }
    if (envelope.topic === myInbox) {
      if (envelope.kind === EnvelopeKind.WELCOME) await join(batch, envelope, id)
      else if (envelope.kind === EnvelopeKind.HISTORY) await importHistoryPart(ctx, batch, envelope, id) // linked devices
      return
    }
    const conversation = await ctx.store.conversations.get(envelope.topic)
    const state = conversation == null ? undefined : await batch.state(conversation.groupId)
    if (conversation == null || state == null) {
      log('%s %s on %s held: no conversation here yet', live ? 'live' : 'stored', id.slice(0, 12), envelope.topic.slice(0, 14))
      future.hold(envelope) // its Welcome may still be on the way
      return
    }
    if (conversation.closed != null) {
      // left or removed: what the group says from now on is not for this device
      batch.seen(id)
      return
    }
    // a member's envelope is counted whatever it turns out to be (readable or not): it came, so it is not missing;
    // anyone else's numbers mean nothing here (an outsider could sign any)
    const senderKey = toHex(envelope.sender)
    if (conversation.members.some(m => m.deviceKey === senderKey)) {
      batch.ops.push(senderSeqOp(conversation.id, envelope, timerOf(ctx, conversation), ctx.now()))
      watchGaps(batch, conversation.id, live)
      // kept sealed for members and department nodes that lack it (carry.ts); one a store served is there already,
      // one heard live while a node was in reach was deposited by its sender
      const source = sources.get(envelope)
      if (keeper != null) batch.ops.push(keeper.keepOp(conversation.id, envelope, source === 'carry' || (source == null && ctx.departments.connected().length === 0)))
    }
    // a department-sequenced group's commit applies only with its sequencer's ack (commit-acks.ts)
    let ack: SignedCommitAck | undefined
    if (envelope.kind === EnvelopeKind.COMMIT) {
      if (await detectFork(ctx, batch, conversation.id, state, envelope)) return batch.seen(id)
      try {
        ack = requireAck(state, envelope, false)
      } catch (err) {
        if (err instanceof MissingSequencerAckError) {
          log('%s commit %s on %s dropped: no sequencer ack', live ? 'live' : 'stored', id.slice(0, 12), envelope.topic.slice(0, 14))
          return batch.seen(id)
        }
        throw err
      }
    }
    let processed: Processed
    try {
      processed = await processMessage(state, envelope.payload, ctx.verifyContext())
    } catch (err) {
      const name = err instanceof DakError ? err.name : ''
      if (name === 'FutureEpochError') {
        log('%s %s on %s held: from an epoch this device has not reached', live ? 'live' : 'stored', id.slice(0, 12), envelope.topic.slice(0, 14))
        future.hold(envelope)
        return
      }
      if (FINAL.has(name)) {
        log('%s %s on %s dropped for good: %s', live ? 'live' : 'stored', id.slice(0, 12), envelope.topic.slice(0, 14), name)
        batch.seen(id)
        // removed by a commit this device never saw (it was away past the store's retention, or the commit was lost)
        if (name === 'NotAMemberError') closeConversation(ctx, conversation, { reason: 'removed', at: ctx.now() }, batch)
        return
      }
      throw err
    }
    batch.advance(conversation.groupId, processed.state)
    batch.seen(id)
    if (log.enabled) log('%s %s seq %d on %s: %s', live ? 'live' : 'stored', id.slice(0, 12), envelope.senderSeq, envelope.topic.slice(0, 14), processed.kind)
    if (processed.kind === 'application') {
      await directory.learn(processed.sender)
      await effects.application(batch, conversation, envelope, processed.sender, processed.plaintext)
    } else if (processed.kind === 'commit') {
      recordApplied(batch, conversation.groupId, ack)
      await effects.commit(batch, conversation, processed, envelope)
    } else if (policyOf(processed.state).admins.some(key => bytesEqual(key, myKey))) {
      // A member asked to leave: an admin's next commit carries it out.
      batch.after.push(async () => { await queueMembership(conversation.id) })
    }
  }

  /**
   * A text we already stored, arriving live again: its sender is republishing
   * because no delivery receipt reached it (ours was lost to a crash, or went
   * to other members only). Acknowledge it again; the receipts coalesce.
   */
  async function acknowledgeAgain (envelope: OpenedEnvelope, id: string): Promise<void> {
    if (envelope.kind !== EnvelopeKind.APPLICATION || bytesEqual(envelope.sender, myKey)) return
    const stored = await ctx.store.messages.get(id)
    // the officer's own other device's text is never acknowledged (receipts.ts acknowledgersOf)
    if (stored != null && !stored.fromMe && stored.fromMyOtherDevice !== true && (stored.kind === 'text' || stored.kind === 'file')) receipts.add(stored.conversationId, envelope.id)
  }

  async function queueMembership (conversationId: string): Promise<void> {
    await ctx.store.outbox.add({ id: 'm' + toHex(ctx.randomBytes(16)), conversationId, kind: OUTBOX.membership, payload: new TextEncoder().encode(JSON.stringify({ add: [], remove: [] })), createdAt: ctx.now(), lane: LANE.first })
    ctx.kick()
  }

  async function join (batch: InboxBatch, envelope: OpenedEnvelope, id: string): Promise<void> {
    const stock = await ctx.store.keyPackages.list()
    let joined
    try {
      joined = await joinFromWelcome(envelope.payload, stock.map(k => ({ publicBytes: k.publicBytes, privateBytes: k.privateBytes })), ctx.verifyContext())
    } catch (err) {
      if (err instanceof DakError) {
        batch.seen(id)
        return
      }
      throw err
    }
    // Only the group's admin (or another device of this officer: linked devices), vouched for by its sequencer, brings us in:
    // anything else is a look-alike or a fork (welcome-checks.ts).
    try {
      checkWelcome(joined.state, envelope, ctx.keys.certificate)
    } catch (err) {
      if (!(err instanceof DakError)) throw err
      // refused for good (seen), and said so: a look-alike group is an attack someone should hear about
      batch.after.push(() => { ctx.emitter.emit('error', { name: err.name, message: `Welcome refused: ${err.message}` }) })
      batch.seen(id)
      return
    }
    const groupId = toHex(groupIdOfState(joined.state))
    const conversationId = conversationTopic(groupIdOfState(joined.state))
    if (await ctx.store.conversations.get(conversationId) != null) {
      batch.seen(id)
      return
    }
    const used = stock.find(k => bytesEqual(k.publicBytes, joined.keyPackage.publicBytes))
    const everyone = members(joined.state)
    for (const certificate of everyone) await directory.learn(certificate)
    batch.ops.push(
      { type: 'conversation-create', conversation: { id: conversationId, kind: 'group', groupId, title: '', members: membersOf(everyone), admins: effects.adminsOf(joined.state), sequencer: policyOf(joined.state).sequencer, createdAt: envelope.timestamp } },
      ...(used != null && !used.lastResort ? [{ type: 'key-package-delete' as const, ref: used.ref }] : [])
    )
    batch.seen(id)
    batch.advance(groupId, joined.state)
    // brought in by another device of this officer (linked devices): ask it for what was written before
    const welcomer = everyone.find(c => bytesEqual(c.devicePublicKey, envelope.sender))
    if (welcomer != null && addsOwnDevice(ctx.keys.certificate, welcomer)) {
      const asking = await historyRequestOps(ctx, conversationId, joined.state, welcomer)
      batch.ops.push(...asking)
      if (asking.length > 0) batch.after.push(() => { ctx.kick() })
    }
    batch.after.push(async () => {
      for (const handler of joinedHandlers) handler(conversationId)
      await effects.emitConversation(conversationId)
    })
    batch.changed = true
  }

  return {
    accept,
    acceptPage,
    onJoined: (handler) => { joinedHandlers.push(handler) },
    onGap: (handler) => { gapHandlers.push(handler) }
  }
}
