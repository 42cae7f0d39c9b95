import { concatBytes, fromHex, MAX_RECEIPT_IDS, toHex, type Certificate } from '@dak/protocol'
import { sha256 } from '@noble/hashes/sha2.js'
import type { StoreOp } from '../storage/index.js'
import type { EngineContext, Schedule } from './context.js'
import { errorDetail } from './events.js'
import { controlEntryOp } from './outgoing.js'

/**
 * How long the inbox waits for more texts before acknowledging what it has. A
 * burst (a busy group, a catch-up page) becomes one receipt; a lone text is
 * acknowledged within a fifth of a second, so the sender's tick still feels
 * immediate.
 */
const QUIET_MS = 200
/**
 * The longest a received text waits for its receipt under steady traffic, when
 * the quiet timer never runs out. Below the sender's first outbox retry (1–2 s:
 * OUTBOX_BASE_DELAY_MS with jitter), so on a LAN the receipt normally completes
 * the sender's entry before it republishes; yet a flood of 100 texts a second
 * still costs each member only two receipts a second, not a hundred.
 */
const MAX_WAIT_MS = 600

/**
 * Members (besides the sender) who acknowledge each text. The sender's entry
 * and its 'delivered' tick need one receipt; two mean one member offline or
 * slow does not leave the sender retrying. Every further acknowledger would
 * cost every member one more decryption.
 */
const ACKNOWLEDGERS = 2

/**
 * Whether this device acknowledges a text: in a group only ACKNOWLEDGERS
 * members do, chosen per message by rendezvous hashing (the highest
 * SHA-256(message id ‖ device key)), so the work spreads over the members and
 * every member computes the same choice from its own member list. A text
 * arriving again live is acknowledged by anyone (incoming.ts), so a sender
 * whose chosen members are away still hears from someone.
 */
/**
 * The member devices among which a text's acknowledgers are chosen: every one
 * but the sender officer's own (its other devices are not the other side, and
 * their receipts move nothing at the sender). Every member filters the same list.
 * By handle: a conversation's members are of one department (cross-department
 * conversations, issue 16 part 4, are not built).
 */
export function acknowledgersOf (members: Array<{ deviceKey: string, handle: string }>, sender: Certificate): string[] {
  return members.filter(m => m.handle !== sender.handle).map(m => m.deviceKey)
}

export function acknowledges (messageId: Uint8Array, sender: Uint8Array, me: Uint8Array, memberKeys: string[]): boolean {
  const senderHex = toHex(sender)
  const others = [...new Set(memberKeys)].filter(key => key !== senderHex)
  if (!others.includes(toHex(me))) return false // not among the acknowledgers at all (the sender officer's own device)
  if (others.length <= ACKNOWLEDGERS) return true
  const weight = (key: string): string => toHex(sha256(concatBytes(messageId, fromHex(key))))
  const chosen = others.map(key => ({ key, weight: weight(key) })).sort((a, b) => a.weight < b.weight ? 1 : a.weight > b.weight ? -1 : 0).slice(0, ACKNOWLEDGERS)
  return chosen.some(c => c.key === toHex(me))
}

/** Outbox entries for delivery receipts acknowledging `ids` (as many receipts as MAX_RECEIPT_IDS requires). */
export function receiptEntryOps (ctx: EngineContext, conversationId: string, ids: Uint8Array[]): StoreOp[] {
  const ops: StoreOp[] = []
  for (let start = 0; start < ids.length; start += MAX_RECEIPT_IDS) {
    ops.push(controlEntryOp(ctx, conversationId, { kind: 'receipt', type: 'delivered', messageIds: ids.slice(start, start + MAX_RECEIPT_IDS), at: ctx.now(), clientId: ctx.randomBytes(16) }))
  }
  return ops
}

export interface DeliveryReceipts {
  /** A received text is stored: acknowledge it soon, together with whatever else arrives meanwhile. */
  add: (conversationId: string, messageId: Uint8Array) => void
  /** Queue every pending acknowledgement in the outbox now, in one commit. */
  flush: () => Promise<void>
  /** Flush, then take nothing more; no timer is left behind. */
  stop: () => Promise<void>
}

/**
 * Delivery receipts for texts arriving live, coalesced. Every member
 * acknowledging every text with its own MLS message costs a group of n members
 * n² encryptions and decryptions per text; instead the ids received in a
 * conversation are collected and sent as one receipt (up to MAX_RECEIPT_IDS
 * ids, more receipts past that) once no text has arrived for QUIET_MS, at most
 * MAX_WAIT_MS after the first id waiting, or at once when a receipt is full.
 * (A catch-up page needs no timer: its receipt goes in the page's own commit,
 * see incoming.ts.)
 *
 * The pending ids live in memory only, for well under a second; a flush puts
 * them in the outbox, which is durable from then on, and `stop()` flushes. A
 * crash inside that window loses a courtesy, not a message: with a department
 * node the sender's entry was already completed by its store receipt, and
 * without one the sender republishes the same bytes, and the inbox
 * acknowledges a live duplicate of a text it has stored again (incoming.ts).
 * Persisting each id first would add a write to every received text to save a
 * receipt that the sender's retry recovers anyway.
 */
export function deliveryReceipts (ctx: EngineContext, schedule: Schedule): DeliveryReceipts {
  /** Conversation id → message ids (hex → bytes: one id acknowledged once per receipt). */
  const pending = new Map<string, Map<string, Uint8Array>>()
  let cancelQuiet: (() => void) | undefined
  let cancelMax: (() => void) | undefined
  /** Flushes run one after another: stop() waits for the last one. */
  let flushing: Promise<void> = Promise.resolve()
  let stopped = false

  function cancelTimers (): void {
    cancelQuiet?.()
    cancelMax?.()
    cancelQuiet = undefined
    cancelMax = undefined
  }

  function add (conversationId: string, messageId: Uint8Array): void {
    if (stopped) return
    let ids = pending.get(conversationId)
    if (ids == null) {
      ids = new Map()
      pending.set(conversationId, ids)
    }
    ids.set(toHex(messageId), messageId)
    if (ids.size >= MAX_RECEIPT_IDS) {
      void flush()
      return
    }
    cancelQuiet?.()
    cancelQuiet = schedule(QUIET_MS, () => { void flush() })
    cancelMax ??= schedule(MAX_WAIT_MS, () => { void flush() })
  }

  async function flush (): Promise<void> {
    cancelTimers()
    const ops = [...pending].flatMap(([conversationId, ids]) => receiptEntryOps(ctx, conversationId, [...ids.values()]))
    pending.clear()
    if (ops.length > 0) {
      flushing = flushing.then(async () => {
        await ctx.store.commit(ops)
        ctx.kick()
      }).catch((err: unknown) => {
        // Lost like a crash would lose them (see above); the UI hears why.
        ctx.emitter.emit('error', errorDetail(err))
      })
    }
    await flushing
  }

  return {
    add,
    flush,
    async stop () {
      stopped = true
      await flush()
    }
  }
}
