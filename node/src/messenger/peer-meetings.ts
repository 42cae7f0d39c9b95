import { toHex, type Certificate } from '@dak/protocol'
import type { Carry } from './carry.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { errorDetail, type MessengerEmitter } from './events.js'
import type { TransparencyWatch } from './transparency.js'

export interface PeerMeetingParts {
  ctx: EngineContext
  emitter: MessengerEmitter
  directory: Directory
  watch: TransparencyWatch
  carry: Carry
  stopped: () => boolean
  /** After each change of peers: new paths for the outbox, a new status. */
  peersChanged: () => Promise<void>
  /** A department node and this device joined each other's mesh for these topics (node-mesh-catch-up.ts). */
  meshedWithNode?: (node: Certificate, topics: string[]) => void
}

export interface PeerMeetings {
  /** A department node's log head is in hand: compare heads with every peer here again. */
  headsChanged: () => void
  /** Ask every member here for what this device lacks (a gap seen live), even one asked this meeting. */
  repairFromMembers: () => void
  stop: () => void
}

/**
 * What meeting a peer is for, once per meeting (a peer that leaves and comes
 * back is met again): compare transparency-log heads (a certificate shown to
 * one officer and hidden from others shows as a split view, issue 12), ask a
 * member for the envelopes of shared conversations this device lacks
 * (carry.ts, issue 11 part 5), and learn its certificate for the directory.
 * Department nodes are not members: no heads from their devices' side, no
 * carry; a GRAFT with one is a catch-up of the topic (node-mesh-catch-up.ts).
 */
export function peerMeetings (parts: PeerMeetingParts): PeerMeetings {
  const { ctx, emitter, directory, watch, carry } = parts
  const headsExchanged = new Set<string>()
  const carriedWith = new Set<string>()
  const isNode = (certificate: Certificate): boolean => certificate.handle === 'node'

  const exchangeHeads = async (certificate: Certificate): Promise<void> => {
    const deviceKey = toHex(certificate.devicePublicKey)
    if (ctx.mesh.requestLogHeads == null || headsExchanged.has(deviceKey) || isNode(certificate)) return
    headsExchanged.add(deviceKey)
    try {
      await watch.compareHeads(await ctx.mesh.requestLogHeads(certificate.devicePublicKey))
    } catch (err) {
      emitter.emit('error', errorDetail(err))
    }
  }

  const syncCarry = async (certificate: Certificate, again = false): Promise<void> => {
    const deviceKey = toHex(certificate.devicePublicKey)
    if (parts.stopped() || isNode(certificate) || (carriedWith.has(deviceKey) && !again)) return
    carriedWith.add(deviceKey)
    try {
      await carry.syncWith(certificate)
    } catch (err) {
      emitter.emit('error', errorDetail(err))
    }
  }

  /**
   * A member's carry is asked per topic when the peer announces it (at every new
   * connection, and on each later subscribe): before that, what this device
   * publishes does not reach it, and neither does what the peer publishes reach
   * this device (gossipsub grafts a newcomer into the mesh, so its gossip never
   * offers it what went before). Asking at the announcement covers what was
   * sealed until then; what is published after it goes by gossip.
   */
  const offSubscribed = ctx.mesh.onPeerSubscribed?.((certificate, topics, how) => {
    if (parts.stopped()) return
    if (isNode(certificate)) {
      if (how !== 'announced') parts.meshedWithNode?.(certificate, topics)
      return
    }
    // every way counts, our own GRAFT too: a member that joined a conversation after the other's
    // announcement grafts it itself, and that GRAFT (with the subscription just before it) is when
    // the other first counts us; nothing grafts back, so asking there is the only ask after it
    carry.syncTopicsWith(certificate, topics).catch((err: unknown) => { emitter.emit('error', errorDetail(err)) })
  })

  const off = ctx.mesh.onPeersChanged(() => {
    void (async () => {
      const present = new Set(ctx.mesh.verifiedPeers().map(c => toHex(c.devicePublicKey)))
      for (const key of headsExchanged) if (!present.has(key)) headsExchanged.delete(key)
      for (const key of carriedWith) if (!present.has(key)) carriedWith.delete(key)
      for (const certificate of ctx.mesh.verifiedPeers()) void exchangeHeads(certificate)
      // with announcements, carry is asked per topic as each is announced (above)
      if (offSubscribed == null) for (const certificate of ctx.mesh.verifiedPeers()) void syncCarry(certificate)
      for (const certificate of ctx.mesh.verifiedPeers()) await directory.learn(certificate)
      await parts.peersChanged()
    })()
  })

  return {
    headsChanged () {
      for (const certificate of ctx.mesh.verifiedPeers()) {
        headsExchanged.delete(toHex(certificate.devicePublicKey))
        void exchangeHeads(certificate)
      }
    },
    repairFromMembers () {
      for (const certificate of ctx.mesh.verifiedPeers()) void syncCarry(certificate, true)
    },
    stop () {
      off()
      offSubscribed?.()
    }
  }
}
