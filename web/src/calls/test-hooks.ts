/**
 * What the browser tests and the benchmark read of a call (window.__dak.calls),
 * in `vite build --mode test` builds only (platform/test-hooks.ts): media
 * statistics per peer connection, the SFrame worker's counters, frames
 * captured before decryption, and the call's secret, so a test can show the
 * captured frames are the real media and that nothing else opens them.
 */
import type { CallManager } from './call-manager.js'
import { mediaStats, type MediaStats } from './stats.js'
import type { FrameCounters } from './sframe-pipeline.js'
import type { LinkSample } from './link-quality.js'
import type { WorkerReply } from './worker-messages.js'

export interface CallTestHooks {
  phase: () => string | null
  linkStates: () => RTCPeerConnectionState[]
  /** The call's peer connections themselves, for a test to hold on to across hang-up. */
  peerConnections: () => RTCPeerConnection[]
  stats: () => Promise<MediaStats[]>
  /** Keep up to `limit` frames each way, from now on. */
  capture: (limit: number) => void
  frames: () => Promise<{ counters: FrameCounters, sent: Array<{ kind: string, plaintext: string, ciphertext: string }>, received: Array<{ kind: string, ciphertext: string }> }>
  secretHex: () => string | undefined
  /** From now on, receive under another secret (as someone without the key would). */
  receiveUnder: (secretHex: string) => void
  /** From now on, the poor-link check reads this sample for every link instead of getStats' (null: getStats again). */
  linkSample: (sample: LinkSample | null) => void
  videoPaused: () => boolean
}

// hex by hand: this module is loaded with the page's first chunk, which stays without @dak/protocol
function toHex (bytes: Uint8Array): string {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}

function fromHex (hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], h => parseInt(h, 16))
}

export function callTestHooks (calls: CallManager): CallTestHooks {
  let nextId = 1
  return {
    phase: () => calls.session()?.phase ?? null,
    linkStates: () => calls.session()?.peerLinks().map(l => l.pc.connectionState) ?? [],
    peerConnections: () => calls.session()?.peerLinks().map(l => l.pc) ?? [],
    stats: async () => await Promise.all(calls.session()?.peerLinks().map(async l => await mediaStats(l.pc)) ?? []),
    capture: (limit) => { calls.session()?.post({ type: 'capture', limit }) },
    async frames () {
      const worker = calls.session()?.worker
      if (worker === undefined) throw new Error('no call in progress')
      const id = nextId++
      const reply = await new Promise<WorkerReply>((resolve) => {
        const onMessage = (event: MessageEvent<WorkerReply>): void => {
          if (event.data.id !== id) return
          worker.removeEventListener('message', onMessage)
          resolve(event.data)
        }
        worker.addEventListener('message', onMessage)
        worker.postMessage({ type: 'report', id })
      })
      return {
        counters: reply.counters,
        sent: reply.captured.sent.map(f => ({ kind: f.kind, plaintext: toHex(f.plaintext), ciphertext: toHex(f.ciphertext) })),
        received: reply.captured.received.map(f => ({ kind: f.kind, ciphertext: toHex(f.ciphertext) }))
      }
    },
    secretHex: () => {
      const secret = calls.session()?.secret
      return secret === undefined ? undefined : toHex(secret)
    },
    receiveUnder: (secretHex) => { calls.session()?.post({ type: 'receive-secret', secret: fromHex(secretHex) }) },
    linkSample: (sample) => {
      const session = calls.session()
      if (session === undefined) throw new Error('no call in progress')
      session.linkSample = sample === null ? async (pc) => (await mediaStats(pc)).sample : async () => sample
    },
    videoPaused: () => calls.session()?.view().videoPaused ?? false
  }
}
