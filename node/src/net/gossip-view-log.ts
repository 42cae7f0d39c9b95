import type { GossipSub } from '@libp2p/gossipsub'
import { componentLogger } from '../log.js'

const log = componentLogger('net:gossip-view')

/** At most one line per this long, and only when the view changed. */
const EVERY_MS = 5_000

/**
 * With `DEBUG=dak:net:gossip-view`: what this node's gossipsub believes, per
 * topic — who it knows to be subscribed and who is in its mesh — written when
 * it changes (checked at heartbeats, at most every 5 s). The field harness
 * keeps it, so a run that lost copies shows whether the receiver was ever in
 * the department node's view of the conversation (docs/field.md, section 8).
 * Costs nothing when the namespace is off.
 */
export function logGossipView (pubsub: GossipSub): void {
  if (!log.enabled) return
  // on the class behind the GossipSub interface (17.x), not in the interface
  const meshOf = (pubsub as unknown as { getMeshPeers?: (topic: string) => string[] }).getMeshPeers?.bind(pubsub)
  let last = ''
  let lastAt = 0
  // the heartbeat event is not in GossipSub's public event map (gossip-gate.ts listens the same way)
  ;(pubsub as unknown as EventTarget).addEventListener('gossipsub:heartbeat', () => {
    const now = Date.now()
    if (now - lastAt < EVERY_MS) return
    const short = (id: string): string => id.slice(-6)
    const view = {
      peers: pubsub.getPeers().map(p => short(p.toString())).sort(),
      topics: Object.fromEntries(pubsub.getTopics().filter(t => t.startsWith('dak/c/')).sort().map(topic => [topic.slice(0, 14), {
        subscribers: pubsub.getSubscribers(topic).map(p => short(p.toString())).sort(),
        mesh: (meshOf?.(topic) ?? []).map(short).sort()
      }]))
    }
    const text = JSON.stringify(view)
    if (text === last) return
    last = text
    lastAt = now
    log('%s', text)
  })
}
