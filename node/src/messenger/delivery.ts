import { toHex } from '@dak/protocol'
import type { OutboxEntry } from '../storage/index.js'
import type { EngineContext } from './context.js'
import { OUTBOX } from './outgoing.js'

/** Nothing reachable stored or received it yet: try again later (not an error to show). */
export class NotDeliveredYetError extends Error { override name = 'NotDeliveredYetError' }

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

/**
 * Send one sealed envelope every way that is open: gossip to whoever is
 * subscribed, and a deposit at a department node, whose signed store receipt
 * makes it durable for everyone offline. The entry is done on a store receipt
 * (or, for a chat message, later on a delivery receipt: see incoming.ts).
 */
export async function deliverSealed (ctx: EngineContext, entry: OutboxEntry): Promise<void> {
  const topic = entry.conversationId
  let reached = 0
  try {
    reached = await ctx.mesh.publish(topic, entry.payload)
  } catch {
    reached = 0
  }
  if (reached > 0) await advance(ctx, entry, 'sent')

  for (const department of ctx.departments.connected()) {
    try {
      const receipt = await department.deposit(entry.payload)
      if (toHex(receipt.messageId) !== entry.id) throw new Error('store receipt is for another message')
      await advance(ctx, entry, 'stored')
      await ctx.store.outbox.complete(entry.id)
      if (await ctx.store.prefs.setting(STORED_BY_DEPARTMENT_SETTING) === undefined) await ctx.store.prefs.putSetting(STORED_BY_DEPARTMENT_SETTING, 1)
      return
    } catch {
      // try the next department node; the entry stays in the outbox otherwise
    }
  }
  if (entry.kind === OUTBOX.sealedOther && reached > 0 && await ctx.store.prefs.setting(STORED_BY_DEPARTMENT_SETTING) === undefined) {
    await ctx.store.outbox.complete(entry.id)
    return
  }
  throw new NotDeliveredYetError(reached > 0 ? 'published, waiting for a store or delivery receipt' : 'no peer or department node reachable')
}
