import { decodeCallSignal, encodeCallSignal, fromHex, MAX_CALL_SIGNAL_BYTES, toHex, type CallSignal, type TrustStore } from '@dak/protocol'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { departmentNodePeers } from '../department/departments.js'
import type { CallRoster } from '../messenger/call-secret.js'
import type { DakLibp2p } from '../net/libp2p-common.js'
import { createRpc } from '../net/rpc.js'
import { CALL_SIGNAL_PROTOCOL, CALL_SIGNAL_RATE, CALL_SIGNAL_TIMEOUT_MS } from './constants.js'
import { CallUnreachableError, NotACallMemberError } from './errors.js'

/**
 * Call signals between two devices over libp2p: one request per signal on
 * /dak/call-signal/1.0.0, over a direct connection when there is one, else
 * through a department node's circuit relay. Only signals from a verified
 * device (the certificate gate, rpc.ts) that is a member of the conversation
 * they name reach a listener; anything else is answered with a typed error.
 */

export interface ReceivedCallSignal {
  /** Hex device key of the sender: its libp2p peer key, checked by Noise and the certificate gate. */
  from: string
  signal: CallSignal
  /** The conversation's members as this device sees them now. */
  roster: CallRoster
}

export interface CallSignals {
  send: (deviceKey: string, signal: CallSignal, options?: { signal?: AbortSignal }) => Promise<void>
  onSignal: (listener: (received: ReceivedCallSignal) => void) => () => void
  stop: () => Promise<void>
}

export interface CallSignalsInit {
  libp2p: DakLibp2p
  messenger: { callRoster: (conversationId: string) => Promise<CallRoster> }
  /** The trust bundle, to know which verified peers are department nodes (the relays). */
  trust: () => TrustStore
}

export async function startCallSignals (init: CallSignalsInit): Promise<CallSignals> {
  const { libp2p } = init
  const rpc = createRpc(libp2p, libp2p.services.directory)
  const listeners = new Set<(received: ReceivedCallSignal) => void>()

  await rpc.handle(CALL_SIGNAL_PROTOCOL, async (bytes, { peer }) => {
    const signal = decodeCallSignal(bytes)
    const from = toHex(peer.publicKey?.raw ?? new Uint8Array(0))
    // throws NotACallMemberError when this device is not in the conversation either
    const roster = await init.messenger.callRoster(signal.conversationId)
    if (!roster.members.some(m => m.deviceKey === from)) throw new NotACallMemberError('call signal from a device that is not a member of this conversation')
    for (const listener of listeners) listener({ from, signal, roster })
    return new Uint8Array(0)
  }, { maxRequestBytes: MAX_CALL_SIGNAL_BYTES, maxResponseBytes: 16, runOnLimitedConnection: true, rate: CALL_SIGNAL_RATE, maxInboundStreams: 4 })

  /** Our unlimited connections to department nodes, as addresses to reach a device through their relay. */
  const relayRoutes = (peerId: string): string[] => departmentNodePeers(libp2p.services.directory, init.trust()).flatMap(({ peer }) =>
    libp2p.getConnections(peer)
      .filter(c => c.status === 'open' && c.limits == null)
      .map(c => `${c.remoteAddr.toString().replace(/\/p2p\/[^/]+$/, '')}/p2p/${peer.toString()}/p2p-circuit/p2p/${peerId}`))

  return {
    async send (deviceKey, signal, options = {}) {
      const body = encodeCallSignal(signal)
      const peer = peerIdFromPublicKey(publicKeyFromRaw(fromHex(deviceKey)))
      const open = libp2p.getConnections(peer).filter(c => c.status === 'open')
      // a direct connection first; a relayed one already open next; else dial through a relay
      const connection = open.find(c => c.limits == null) ?? open[0] ??
        await (async () => {
          const routes = relayRoutes(peer.toString())
          if (routes.length === 0) throw new CallUnreachableError('no connection to that device and no department node to relay through')
          return await libp2p.dial(routes.map(r => multiaddr(r)), { signal: options.signal ?? AbortSignal.timeout(CALL_SIGNAL_TIMEOUT_MS) })
        })().catch((err: unknown) => {
          if (err instanceof CallUnreachableError) throw err
          throw new CallUnreachableError(`could not reach that device: ${err instanceof Error ? err.message : String(err)}`)
        })
      await rpc.request(connection, CALL_SIGNAL_PROTOCOL, body, {
        maxResponseBytes: 16,
        timeoutMs: CALL_SIGNAL_TIMEOUT_MS,
        runOnLimitedConnection: true,
        ...(options.signal !== undefined ? { signal: options.signal } : {})
      })
    },
    onSignal (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
    async stop () {
      listeners.clear()
      await rpc.unhandle(CALL_SIGNAL_PROTOCOL)
    }
  }
}
