import { DakError, fromHex, openEnvelope, toHex, type Certificate, type OpenedEnvelope } from '@dak/protocol'
import { CarryRefusedError } from '../net/errors.js'
import type { StoreOp } from '../storage/index.js'
import { CARRY_MAX_ANSWER_BYTES, decodeCarryAnswer, decodeCarryRequest, encodeCarryAnswer, encodeCarryRequest, ID_PREFIX_BYTES, MAX_ANSWER_ENVELOPES, MAX_HAVE } from './carry-wire.js'
import type { EngineContext } from './context.js'
import type { Incoming } from './incoming.js'
import type { DepartmentPort } from './ports.js'
import { componentLogger } from '../log.js'

const log = componentLogger('messenger:carry')

/**
 * Delay-tolerant carry (issue 11 part 5, issue 12's "repair from a member";
 * docs/messenger.md, "Carry"). Every device keeps the sealed envelopes of its
 * conversations (storage carried.ts, bounded); two members that meet — on a
 * LAN with no department node, or when one shows a gap — give each other what
 * the other lacks of the conversations they share, and a device that later
 * reaches a department node deposits what it carried. What is handed over is
 * MLS ciphertext under its sender's signature: the receiver opens and
 * decrypts it through the same inbox as gossip and catch-up (deduped by id).
 *
 * Only a *current member* of a conversation, by the certificate its
 * connection was verified with, is served that conversation's envelopes;
 * anyone else (an outsider, a removed member) gets CarryRefusedError, the
 * same answer as for a conversation this device does not have.
 */

/** Envelopes kept per conversation: the newest this many (a member away longer falls back to the store). */
export const KEEP_PER_TOPIC = 1024
/**
 * Bytes kept per conversation: a text's envelope is ~1-2 KiB, so this is not
 * reached by texts; it stops a member's large envelopes (up to 256 KiB each)
 * from making the keep, and each answer's read of it, hundreds of megabytes.
 */
export const KEEP_BYTES_PER_TOPIC = 4 * 1024 * 1024
/** How long an envelope is kept for carrying, at most (a department store keeps longer). */
export const KEEP_MS = 14 * 86_400_000
/** Pages asked per conversation in one sync: 64 × 64 envelopes covers the whole keep. */
const MAX_PAGES = 64
/** Envelopes deposited per round at a department node, and rounds per reach. */
const DEPOSIT_BATCH = 64
const MAX_DEPOSIT_ROUNDS = 64
/** A department node's answers to a deposit that another try would get again. */
const REFUSED_FOR_GOOD = new Set(['UnknownSenderError', 'NotAMemberOfTopicError', 'ExpiredEnvelopeError', 'InvalidArgumentError', 'MalformedInputError', 'TooLargeError',
  'InvalidSignatureError', 'ExpiredCertificateError', 'RevokedCertificateError', 'UntrustedAuthorityError'])
/** Keeps between prunes of a topic: pruning reads the topic's keep, so not on every envelope. */
const PRUNE_EVERY = 64

export interface Carry {
  /** The store op that keeps one envelope; `deposit`: a department node may not have it (it did not come from one). */
  keepOp: (topic: string, envelope: OpenedEnvelope, deposit: boolean) => StoreOp
  /** Answer one peer's request (the server side of /dak/carry/1.0.0). */
  answer: (request: Uint8Array, from: Certificate) => Promise<Uint8Array>
  /** Fetch from a connected member what we lack of every conversation we share with it; resolves with envelopes received. */
  syncWith: (peer: Certificate) => Promise<number>
  /** The same for these topics only, after any sync with that peer under way (which may have been answered before what is new). */
  syncTopicsWith: (peer: Certificate, topics: string[]) => Promise<number>
  /** Deposit at a department node what this device carried that may be missing there; resolves with how many were deposited. */
  depositCarried: (department: DepartmentPort) => Promise<number>
  /** Prune every conversation's keep (at start: our own envelopes are kept outside keepOp's count, and time passes). */
  pruneAll: () => Promise<void>
  /** Envelopes served to peers since start (tests, figures). */
  readonly served: () => number
}

/**
 * Keep one of our own envelopes as it is sealed (same commit): a member who
 * missed it can get it from us. Not marked for deposit: the outbox deposits it.
 */
export function ownKeepOp (ctx: Pick<EngineContext, 'now'>, topic: string, envelope: { id: Uint8Array, bytes: Uint8Array }): StoreOp {
  return { type: 'carry-keep', topic, id: toHex(envelope.id), at: ctx.now(), bytes: envelope.bytes, deposit: false }
}

function prefix (id: Uint8Array | string): string {
  return (typeof id === 'string' ? id : toHex(id)).slice(0, ID_PREFIX_BYTES * 2)
}

export function createCarry (ctx: EngineContext, incoming: () => Incoming): Carry {
  let served = 0
  const keptSincePrune = new Map<string, number>()
  const syncing = new Map<string, Promise<number>>()
  /** Per peer: the ask queued behind the one under way, not sent yet (later triggers join it). */
  const waitingAsks = new Map<string, { topics: Set<string>, run: Promise<number> }>()

  async function prune (topic: string): Promise<void> {
    keptSincePrune.delete(topic)
    await ctx.store.carried.prune(topic, { maxCount: KEEP_PER_TOPIC, maxBytes: KEEP_BYTES_PER_TOPIC, olderThan: ctx.now() - KEEP_MS })
  }

  /** A conversation `deviceKey` is a current member of here, or undefined. */
  async function sharedConversation (topic: string, deviceKey: string) {
    let conversation
    try {
      conversation = await ctx.store.conversations.get(topic)
    } catch (err) {
      log('carry request for an unusable topic: %e', err)
      return undefined
    }
    if (conversation == null || conversation.closed != null) return undefined
    return conversation.members.some(m => m.deviceKey === deviceKey) ? conversation : undefined
  }

  async function answer (request: Uint8Array, from: Certificate): Promise<Uint8Array> {
    const { topic, have } = decodeCarryRequest(request)
    const conversation = await sharedConversation(topic, toHex(from.devicePublicKey))
    if (conversation == null) throw new CarryRefusedError('nothing to carry for this device on that topic')
    const had = new Set(have.map(id => toHex(id)))
    const now = ctx.now()
    const envelopes: Uint8Array[] = []
    let bytes = 3
    let more = false
    for (const kept of await ctx.store.carried.list(topic)) {
      if (had.has(prefix(kept.id))) continue
      if (envelopes.length >= MAX_ANSWER_ENVELOPES || bytes + 4 + kept.bytes.length > CARRY_MAX_ANSWER_BYTES) {
        more = true
        break
      }
      if (expired(kept.bytes, now)) continue
      envelopes.push(kept.bytes)
      bytes += 4 + kept.bytes.length
    }
    served += envelopes.length
    return encodeCarryAnswer({ envelopes, more })
  }

  async function syncTopic (peer: Certificate, topic: string): Promise<number> {
    const have = new Set((await ctx.store.carried.list(topic)).map(e => prefix(e.id)))
    let received = 0
    for (let page = 0; page < MAX_PAGES; page++) {
      const request = encodeCarryRequest({ topic, have: [...have].slice(-MAX_HAVE).map(fromHex) })
      const reply = decodeCarryAnswer(await ctx.mesh.requestCarry!(peer.devicePublicKey, request))
      const envelopes: OpenedEnvelope[] = []
      let fresh = 0
      for (const bytes of reply.envelopes) {
        let envelope: OpenedEnvelope
        try {
          envelope = openEnvelope(bytes, ctx.now())
        } catch (err) {
          log('a carried envelope from %s does not open: %e', peer.handle, err)
          continue
        }
        // a member serves this conversation's envelopes only: anything else is not what was asked for
        if (envelope.topic !== topic) continue
        if (!have.has(prefix(envelope.id))) fresh++
        have.add(prefix(envelope.id))
        envelopes.push(envelope)
      }
      log('carry of %s from %s: %d envelopes, %d fresh', topic.slice(0, 14), peer.handle, envelopes.length, fresh)
      if (envelopes.length > 0) await incoming().acceptPage(envelopes, [], 'carry')
      received += envelopes.length
      // a peer that repeats itself (or sends only what we have) gets no further pages
      if (!reply.more || fresh === 0) break
    }
    return received
  }

  async function syncWithNow (peer: Certificate, topics?: Set<string>): Promise<number> {
    if (ctx.mesh.requestCarry == null) return 0
    const deviceKey = toHex(peer.devicePublicKey)
    let received = 0
    for (const conversation of await ctx.store.conversations.list()) {
      if (topics != null && !topics.has(conversation.id)) continue
      if (conversation.closed != null || !conversation.members.some(m => m.deviceKey === deviceKey)) continue
      try {
        received += await syncTopic(peer, conversation.id)
      } catch (err) {
        // that conversation stops here; the others still sync, and the next meeting tries again
        log('carry of %s from %s failed: %e', conversation.id, peer.handle, err)
        // over the peer's allowance: stop asking now (refusals in a row would get us cut off as a flooder)
        if (err instanceof DakError && err.name === 'RateLimitedError') break
      }
    }
    return received
  }

  return {
    keepOp (topic, envelope, deposit) {
      // counted in "keeps" of 4 KiB: a large envelope brings the next prune closer
      const count = (keptSincePrune.get(topic) ?? 0) + Math.max(1, Math.ceil(envelope.bytes.length / 4096))
      keptSincePrune.set(topic, count)
      if (count >= PRUNE_EVERY) void prune(topic).catch((err: unknown) => { log.error('pruning the carry keep of %s failed: %e', topic, err) })
      return { type: 'carry-keep', topic, id: toHex(envelope.id), at: ctx.now(), bytes: envelope.bytes, deposit }
    },
    answer,
    async syncWith (peer) {
      // one sync per peer at a time: a second meeting event joins the one under way
      const key = toHex(peer.devicePublicKey)
      const running = syncing.get(key)
      if (running != null) return await running
      const run = syncWithNow(peer).finally(() => { if (syncing.get(key) === run) syncing.delete(key) })
      syncing.set(key, run)
      return await run
    },
    async syncTopicsWith (peer, topics) {
      const key = toHex(peer.devicePublicKey)
      // an ask waiting its turn has not been sent yet: it carries these topics too (one meeting
      // brings an announcement and a GRAFT each way, all for the same topics, at once)
      const waiting = waitingAsks.get(key)
      if (waiting != null) {
        for (const topic of topics) waiting.topics.add(topic)
        return await waiting.run
      }
      const before = syncing.get(key)
      const wanted = new Set(topics)
      const after = async (): Promise<number> => {
        if (waitingAsks.get(key)?.topics === wanted) waitingAsks.delete(key)
        return await syncWithNow(peer, wanted)
      }
      const run: Promise<number> = (before == null ? after() : before.then(after, after)).finally(() => { if (syncing.get(key) === run) syncing.delete(key) })
      if (before != null) waitingAsks.set(key, { topics: wanted, run })
      syncing.set(key, run)
      return await run
    },
    async depositCarried (department) {
      let deposited = 0
      for (let round = 0; round < MAX_DEPOSIT_ROUNDS; round++) {
        const batch = await ctx.store.carried.toDeposit(DEPOSIT_BATCH)
        if (batch.length === 0) break
        for (const kept of batch) {
          try {
            // idempotent at the node: one it has already is answered with its receipt
            if (!expired(kept.bytes, ctx.now())) await department.deposit(kept.bytes)
            deposited++
          } catch (err) {
            // the link failed: the mark stays, the next reach tries again
            if (!(err instanceof DakError) || !REFUSED_FOR_GOOD.has(err.name)) throw err
            // the node will never take this one (sender no longer valid there, older than it keeps, ...): do not block the rest on it
            log('the department node refused a carried envelope of %s for good: %e', kept.topic, err)
          }
          await ctx.store.commit([{ type: 'carry-deposited', topic: kept.topic, id: kept.id, at: kept.at }])
        }
      }
      return deposited
    },
    async pruneAll () {
      for (const conversation of await ctx.store.conversations.list()) await prune(conversation.id)
    },
    served: () => served
  }
}

/** An envelope past its expiry (disappearing messages) is neither served nor deposited. */
function expired (bytes: Uint8Array, now: number): boolean {
  try {
    const envelope = openEnvelope(bytes, now)
    return envelope.expiresAt != null && envelope.expiresAt <= now
  } catch (err) {
    log('a kept envelope no longer opens (clock, certificate); not handed on: %e', err)
    return true
  }
}
