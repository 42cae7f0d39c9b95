/**
 * The call's worker: Chromium hands it every encoded audio and video frame
 * through RTCRtpScriptTransform (WebRTC Encoded Transform), and it applies
 * SFrame (sframe-pipeline.ts) off the page's main thread. One worker per
 * call, so one sending counter for all the call's tracks and peers.
 */
import { CallFrames, type CallKeysInit } from './sframe-pipeline.js'
import type { MediaKind, VideoFrameType } from './frame-layout.js'
import type { WorkerReply, WorkerRequest, TransformOptions } from './worker-messages.js'

// lib.webworker's types cannot share a program with lib.dom; the few used here:
interface EncodedFrame { data: ArrayBuffer, type?: VideoFrameType }
interface ScriptTransformer {
  readable: ReadableStream<EncodedFrame>
  writable: WritableStream<EncodedFrame>
  options: TransformOptions
  sendKeyFrameRequest?: () => Promise<void>
}
interface WorkerScope {
  onrtctransform: ((event: { transformer: ScriptTransformer }) => void) | null
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null
  postMessage: (message: WorkerReply) => void
}
const scope = self as unknown as WorkerScope

/** At most one key-frame request a second: a burst of undecryptable frames asks once. */
const KEY_FRAME_REQUEST_INTERVAL_MS = 1_000

let frames: CallFrames | undefined
let keysReady: (frames: CallFrames) => void
const ready = new Promise<CallFrames>((resolve) => { keysReady = resolve })

scope.onmessage = (event) => {
  const request = event.data
  switch (request.type) {
    case 'keys': {
      const init: CallKeysInit = { secret: request.secret, ownLeaf: request.ownLeaf, session: request.session }
      frames = new CallFrames(init)
      keysReady(frames)
      return
    }
    case 'rekey':
      frames?.rekey(request.secret, request.session)
      return
    case 'capture':
      frames?.capture(request.limit)
      return
    case 'receive-secret':
      frames?.replaceReceiveSecret(request.secret)
      return
    case 'report':
      scope.postMessage({ type: 'report', id: request.id, counters: frames?.counters ?? { encrypted: 0, decrypted: 0, dropped: 0 }, captured: frames?.captured ?? { sent: [], received: [] } })
  }
}

scope.onrtctransform = (event) => {
  const transformer = event.transformer
  const { direction, kind, remoteLeaf } = transformer.options
  let lastKeyFrameRequest = 0
  const transform = new TransformStream<EncodedFrame, EncodedFrame>({
    async transform (frame, controller) {
      const call = frames ?? await ready
      const data = new Uint8Array(frame.data)
      const mediaKind: MediaKind = kind
      if (direction === 'send') {
        frame.data = call.encrypt(mediaKind, frame.type, data).buffer as ArrayBuffer
        controller.enqueue(frame)
        return
      }
      const plaintext = call.decrypt(mediaKind, frame.type, remoteLeaf ?? -1, data)
      if (plaintext !== undefined) {
        frame.data = plaintext.buffer as ArrayBuffer
        controller.enqueue(frame)
      } else if (kind === 'video' && transformer.sendKeyFrameRequest !== undefined && Date.now() - lastKeyFrameRequest > KEY_FRAME_REQUEST_INTERVAL_MS) {
        // the decoder lost its reference frames: ask the sender for a fresh key frame
        lastKeyFrameRequest = Date.now()
        transformer.sendKeyFrameRequest().catch(() => { /* none pending or not supported: the next drop asks again */ })
      }
    }
  })
  transformer.readable.pipeThrough(transform).pipeTo(transformer.writable).catch(() => {
    // the track or the peer connection closed: nothing is left to carry
  })
}
