import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Which dials may use WebRTC-Direct (docs/field.md, section 11). A
 * WebRTC-Direct dial to a department node that is down hears nothing until
 * the whole dial timeout (30 s) has passed, and libp2p joins every later dial
 * to that peer into it. In a browser the department link is therefore the
 * only dialler that may use a WebRTC-Direct address, and only while its
 * fallback step is under way (`during`): the relay reservation's redial and
 * anyone else dialling the node get its WebSocket addresses only, and a node
 * that is down refuses those at once.
 */
export class FallbackGate {
  private open = 0

  /** Run `dial` with WebRTC-Direct allowed. */
  async during<T> (dial: () => Promise<T>): Promise<T> {
    this.open++
    try {
      return await dial()
    } finally {
      this.open--
    }
  }

  /**
   * For the connection gater: true for a WebRTC-Direct address while no
   * fallback step is under way. A relayed address through a node reached over
   * WebRTC-Direct (`…/webrtc-direct/…/p2p-circuit/…`) rides the connection
   * already open, so it is not this gate's business.
   */
  denies (address: Multiaddr): boolean {
    const text = address.toString()
    return this.open === 0 && text.includes('/webrtc-direct') && !text.includes('/p2p-circuit')
  }
}

const gates = new WeakMap<object, FallbackGate>()

/** The gate of a libp2p node (browsers have one; Node.js devices do not dial WebRTC-Direct). */
export function fallbackGateOf (libp2p: object): FallbackGate | undefined {
  return gates.get(libp2p)
}

export function setFallbackGate (libp2p: object, gate: FallbackGate): void {
  gates.set(libp2p, gate)
}
