import { StreamState, YamuxStream } from '@chainsafe/libp2p-yamux/stream'

/**
 * Window updates only once a few KiB have been read. @chainsafe/libp2p-yamux
 * 8.0.1 answers every data frame with a window update frame, so each one-byte
 * keep-alive ping and its echo, and each gossip message, bring a second
 * 12-byte frame in its own Noise message and TCP segment: most of an idle
 * device's bytes on 2G (docs/field.md, sections 6c and 12). The Go
 * implementation waits until half the window is used; here an update waits
 * until WINDOW_UPDATE_BYTES are read. The sender may still send up to the
 * whole window (256 KiB at first), so nothing waits for the update that is
 * held back; bulk reads (file chunks, catch-up pages) pass the threshold with
 * every frame and are unchanged. Patched on the class (the package exports
 * it as `./stream`), because the muxer builds its streams itself.
 */
export const WINDOW_UPDATE_BYTES = 4 * 1024

interface WindowState { recvWindow: number, recvWindowCapacity: number, state: StreamState }

let patched = false

/** `muxer`, with the patch applied first (once per process; every Dak libp2p node uses it). */
export function windowUpdatesHeldBack<T> (muxer: T): T {
  holdBackSmallWindowUpdates()
  return muxer
}

function holdBackSmallWindowUpdates (): void {
  if (patched) return
  patched = true
  const prototype = YamuxStream.prototype as unknown as { sendWindowUpdate: (this: WindowState) => void }
  const sendWindowUpdate = prototype.sendWindowUpdate
  prototype.sendWindowUpdate = function (this: WindowState): void {
    // only a plain update is held back: a stream's first frame each way carries SYN or ACK, and a paused one keeps its own rule
    const plain = this.state === StreamState.SYNSent || this.state === StreamState.Established || this.state === StreamState.Finished
    if (plain && this.recvWindow - this.recvWindowCapacity < WINDOW_UPDATE_BYTES) return
    sendWindowUpdate.call(this)
  }
}
