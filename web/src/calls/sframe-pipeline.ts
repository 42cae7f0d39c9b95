import { CallKeyring, callSender, sframeDecrypt, type SFrameSender } from '@dak/protocol/sframe'
import { clearBytes, protectFrame, unprotectFrame, type MediaKind, type VideoFrameType } from './frame-layout.js'

/**
 * The SFrame side of one call in this page: the sending key (one counter for
 * every track and every peer connection, so no nonce repeats) and one keyring
 * per remote participant (each accepts only that participant's leaf). Runs in
 * the call's worker (sframe-worker.ts); pure enough to test in Node.
 */

export interface CallKeysInit {
  secret: Uint8Array
  ownLeaf: number
  /** Random 31-bit number for this join of the call (protocol/src/sframe/call-keys.ts). */
  session: number
}

export interface FrameCounters {
  encrypted: number
  decrypted: number
  /** Frames that did not authenticate or named no key: dropped, never passed to the decoder. */
  dropped: number
}

/** Test builds only: encoded frames as they left the encoder and as they arrived, before decryption. */
export interface CapturedFrames {
  sent: Array<{ kind: MediaKind, plaintext: Uint8Array, ciphertext: Uint8Array }>
  received: Array<{ kind: MediaKind, remoteLeaf: number, ciphertext: Uint8Array }>
}

export class CallFrames {
  private readonly sender: SFrameSender
  private secret: Uint8Array
  private readonly keyrings = new Map<number, CallKeyring>()
  readonly counters: FrameCounters = { encrypted: 0, decrypted: 0, dropped: 0 }
  private captureLimit = 0
  readonly captured: CapturedFrames = { sent: [], received: [] }

  constructor (init: CallKeysInit) {
    this.secret = init.secret
    this.sender = callSender(init.secret, init.ownLeaf, init.session)
  }

  /** Keep up to `limit` frames each way for a test to inspect. */
  capture (limit: number): void {
    this.captureLimit = limit
    this.captured.sent.length = 0
    this.captured.received.length = 0
  }

  /** Test builds only: receive under another secret, as someone without the key would. */
  replaceReceiveSecret (secret: Uint8Array): void {
    this.secret = secret
    this.keyrings.clear()
  }

  encrypt (kind: MediaKind, type: VideoFrameType, data: Uint8Array): Uint8Array {
    const out = protectFrame(data, clearBytes(kind, type, data.length), (m, p) => this.sender.encrypt(m, p))
    this.counters.encrypted++
    if (this.captured.sent.length < this.captureLimit) this.captured.sent.push({ kind, plaintext: data.slice(), ciphertext: out.slice() })
    return out
  }

  /** The frame's plaintext, or undefined when it must be dropped. */
  decrypt (kind: MediaKind, type: VideoFrameType, remoteLeaf: number, data: Uint8Array): Uint8Array | undefined {
    if (this.captured.received.length < this.captureLimit) this.captured.received.push({ kind, remoteLeaf, ciphertext: data.slice() })
    let ring = this.keyrings.get(remoteLeaf)
    if (ring === undefined) {
      ring = new CallKeyring(this.secret, leaf => leaf === remoteLeaf)
      this.keyrings.set(remoteLeaf, ring)
    }
    const keys = ring
    try {
      const plaintext = unprotectFrame(data, clearBytes(kind, type, data.length), (m, c) => sframeDecrypt(keys.keyFor, m, c).plaintext)
      this.counters.decrypted++
      return plaintext
    } catch {
      // RFC 9605 4.4.4: a frame that does not authenticate is discarded (counted, not thrown: the media goes on)
      this.counters.dropped++
      return undefined
    }
  }
}
