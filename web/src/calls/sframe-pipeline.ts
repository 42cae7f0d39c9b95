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

/**
 * After a re-key, how long frames under the previous epoch's key are still
 * opened: a peer that has not applied the membership change yet keeps
 * sending under it for a moment. Bounded, so a key a removed member holds
 * never stays useful for long (RFC 9605 4.4.1: old keys go once the new are in use).
 */
export const PREVIOUS_KEY_MS = 10_000

export class CallFrames {
  private sender: SFrameSender
  private readonly ownLeaf: number
  private secret: Uint8Array
  private keyrings = new Map<number, CallKeyring>()
  /** The previous epoch's receiving keys: per remote leaf until that leaf sends under the new key (then `retired`), for PREVIOUS_KEY_MS at most. */
  private previous: { keyrings: Map<number, CallKeyring>, secret: Uint8Array, until: number, retired: Set<number> } | undefined
  readonly counters: FrameCounters = { encrypted: 0, decrypted: 0, dropped: 0 }
  private captureLimit = 0
  readonly captured: CapturedFrames = { sent: [], received: [] }

  constructor (init: CallKeysInit, private readonly now: () => number = Date.now) {
    this.secret = init.secret
    this.ownLeaf = init.ownLeaf
    this.sender = callSender(init.secret, init.ownLeaf, init.session)
  }

  /**
   * The conversation moved to a new MLS epoch: send under the new epoch's
   * secret from the next frame (a fresh session number, so a fresh KID and
   * counter), and keep the old receiving keys only for a short while.
   */
  rekey (secret: Uint8Array, session: number): void {
    this.sender = callSender(secret, this.ownLeaf, session)
    this.previous?.secret.fill(0)
    this.previous = { keyrings: this.keyrings, secret: this.secret, until: this.now() + PREVIOUS_KEY_MS, retired: new Set() }
    this.secret = secret
    this.keyrings = new Map()
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
    this.previous = undefined
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
    let plaintext = this.open(this.ring(this.keyrings, this.secret, remoteLeaf), kind, type, data)
    const previous = this.previous
    if (previous !== undefined && this.now() > previous.until) {
      previous.secret.fill(0)
      this.previous = undefined
    } else if (previous !== undefined) {
      // once this peer sends under the new key, its old key is no longer accepted
      if (plaintext !== undefined) previous.retired.add(remoteLeaf)
      else if (!previous.retired.has(remoteLeaf)) plaintext = this.open(this.ring(previous.keyrings, previous.secret, remoteLeaf), kind, type, data)
    }
    if (plaintext !== undefined) {
      this.counters.decrypted++
      return plaintext
    }
    // RFC 9605 4.4.4: a frame that does not authenticate is discarded (counted, not thrown: the media goes on)
    this.counters.dropped++
    return undefined
  }

  private ring (keyrings: Map<number, CallKeyring>, secret: Uint8Array, remoteLeaf: number): CallKeyring {
    let ring = keyrings.get(remoteLeaf)
    if (ring === undefined) {
      ring = new CallKeyring(secret, leaf => leaf === remoteLeaf)
      keyrings.set(remoteLeaf, ring)
    }
    return ring
  }

  private open (keys: CallKeyring, kind: MediaKind, type: VideoFrameType, data: Uint8Array): Uint8Array | undefined {
    try {
      return unprotectFrame(data, clearBytes(kind, type, data.length), (m, c) => sframeDecrypt(keys.keyFor, m, c).plaintext)
    } catch {
      return undefined // not under these keys: the caller counts the drop
    }
  }
}
