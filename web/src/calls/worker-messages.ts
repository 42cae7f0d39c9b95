import type { MediaKind } from './frame-layout.js'
import type { CapturedFrames, FrameCounters } from './sframe-pipeline.js'

/** What the page and the call's worker say to each other (sframe-worker.ts). */

export interface TransformOptions {
  direction: 'send' | 'receive'
  kind: MediaKind
  /** receive: the MLS leaf of the device at the other end of this peer connection. */
  remoteLeaf?: number
}

export type WorkerRequest =
  | { type: 'keys', secret: Uint8Array, ownLeaf: number, session: number }
  /** The conversation's MLS epoch changed: send under this secret from now on (docs/calls.md, re-keying). */
  | { type: 'rekey', secret: Uint8Array, session: number }
  | { type: 'capture', limit: number }
  | { type: 'receive-secret', secret: Uint8Array }
  | { type: 'report', id: number }

export type WorkerReply = { type: 'report', id: number, counters: FrameCounters, captured: CapturedFrames }
