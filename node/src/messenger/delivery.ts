import { toHex } from '@dak/protocol'
import type { OutboxEntry } from '../storage/index.js'
import type { EngineContext } from './context.js'
import type { Published } from './ports.js'
import { OUTBOX } from './outgoing.js'
import { componentLogger } from '../log.js'

const log = componentLogger('messenger:delivery')

/** Nothing reachable stored or received it yet: try again later (not an error to show). */
/** Timeouts and lost connections: what a link that went quiet answers with. */
const QUIET_LINK = new Set(['TimeoutError', 'AbortError', 'RequestTimeoutError', 'ConnectionLostError', 'StreamResetError'])

export class NotDeliveredYetError extends Error {
  override name = 'NotDeliveredYetError'
  /**
   * @param quietLink a department node was connected and did not answer in time: the link to it
   * went quiet (not merely "published, no receipt yet", nor "nobody in reach")
   */
  constructor (message: string, readonly quietLink: boolean) { super(message) }
}

async function advance (ctx: EngineContext, entry: OutboxEntry, state: 'sent' | 'stored'): Promise<void> {
  if (entry.kind !== OUTBOX.sealedMessage) return
  const before = await ctx.store.messages.get(entry.id)
  if (before == null) return
  const after = await ctx.store.messages.setState(entry.id, state)
  if (after.state !== before.state) ctx.emitter.emit('message-state', { conversationId: entry.conversationId, id: entry.id, state: after.state })
}

/**
 * Set once a department node has stored something for this device: from then
 * on an envelope nobody sends a receipt for (an edit, a deletion, an
 * acknowledgement, a Welcome) is done only on a store receipt. Gossip reaching
 * the members online says nothing about the members offline, who catch up from
 * the node; completing on it lost an edit for them when the deposit failed
 * (delivery.test.ts). A device that never had a node (a LAN on its own) has
 * only gossip, and completes on it.
 */
export const STORED_BY_DEPARTMENT_SETTING = 'storedByDepartment'

/** Stores known to have the setting: once set it never goes, so each deposit need not read it again. */
const storedBefore = new WeakSet<object>()

async function hasBeenStored (ctx: EngineContext): Promise<boolean> {
  if (storedBefore.has(ctx.store)) return true
  if (await ctx.store.prefs.setting(STORED_BY_DEPARTMENT_SETTING) === undefined) return false
  storedBefore.add(ctx.store)
  return true
}

/**
 * Send one sealed envelope every way that is open: gossip to whoever is
 * subscribed, and a deposit at a department node, whose signed store receipt
 * makes it durable for everyone offline. The entry is done on a store receipt
 * (or, for a chat message, later on a delivery receipt: see incoming.ts).
 *
 * A delivery or read receipt is deposited like the rest. Completing one as
 * soon as gossip handed it to a connected department node (the node stores
 * what gossip brings it) saved a stream per receipt on 2G (docs/field.md,
 * 6b), but gossip has no acknowledgement: in a full test run a receipt was
 * lost that way and the sender, offline meanwhile, never learnt of that
 * delivery (test/messenger/receipts-through-node.test.ts). Not traced; the
 * likeliest window is just after a reconnect, before gossip-gate.ts has
 * repaired a stream the node dropped. Taken back until the node acknowledges
 * what it stores from gossip.
 */
export async function deliverSealed (ctx: EngineContext, entry: OutboxEntry): Promise<void> {
  const topic = entry.conversationId
  let published: Published = { reached: 0, gossipedTo: [] }
  try {
    published = await ctx.mesh.publish(topic, entry.payload)
  } catch {
    published = { reached: 0, gossipedTo: [] }
  }
  const reached = published.reached
  if (reached > 0) await advance(ctx, entry, 'sent')

  const departments = ctx.departments.connected()

  let refused: unknown
  for (const department of departments) {
    try {
      const receipt = await department.deposit(entry.payload)
      if (toHex(receipt.messageId) !== entry.id) throw new Error('store receipt is for another message')
      await advance(ctx, entry, 'stored')
      await ctx.store.outbox.complete(entry.id)
      if (!await hasBeenStored(ctx)) {
        await ctx.store.prefs.putSetting(STORED_BY_DEPARTMENT_SETTING, 1)
        storedBefore.add(ctx.store)
      }
      return
    } catch (err) {
      // try the next department node; the entry stays in the outbox otherwise (and says why)
      refused = err
      log('deposit of %s at %s failed: %e', entry.id.slice(0, 12), department.id, err)
    }
  }
  const completesOnGossip = entry.kind === OUTBOX.sealedOther || entry.kind === OUTBOX.sealedReceipt
  if (completesOnGossip && reached > 0 && !await hasBeenStored(ctx)) {
    await ctx.store.outbox.complete(entry.id)
    return
  }
  const why = refused instanceof Error ? ` (the department node: ${refused.name}: ${refused.message})` : ''
  const timedOut = refused instanceof Error && QUIET_LINK.has(refused.name)
  throw new NotDeliveredYetError((reached > 0 ? 'published, waiting for a store or delivery receipt' : 'no peer or department node reachable') + why, timedOut)
}
