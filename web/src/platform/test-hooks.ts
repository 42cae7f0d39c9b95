/**
 * What the browser tests look at that the UI does not show: which libp2p
 * connections this page has, so a test can tell a direct WebRTC connection
 * from a relayed one; and whether the device finished catching up since the
 * page opened, and what errors it reported on the way. Only `vite build --mode test` includes this (platform.ts
 * calls it behind `import.meta.env.MODE`, which production builds fold away).
 */
import type { OpenDevice } from '@dak/node/device/open-device'
import type { CallManager } from '../calls/call-manager.js'
import { callTestHooks, type CallTestHooks } from '../calls/test-hooks.js'

export interface ConnectionView {
  peer: string
  /** The remote address; for a WebRTC connection this page dialled, the route its offer took (…/p2p-circuit/webrtc/…). */
  address: string
  /** Not through a relay: libp2p's own judgement (a WebRTC connection is direct even when its offer was relayed). */
  direct: boolean
  /** The stream multiplexer: '/webrtc' (data channels) for a WebRTC connection, '/yamux/1.0.0' over WebSockets. */
  multiplexer: string
  /** A relayed (circuit) connection carries limits; a direct one none. */
  limited: boolean
  /** Protocols of the streams open on it, e.g. /meshsub/1.2.0. */
  protocols: string[]
}

export interface DakTestHooks {
  peerId: string
  connections: () => ConnectionView[]
  /** Peers this page knows to be subscribed to a gossip topic (a conversation id is its topic). */
  subscribers: (topic: string) => string[]
  /** Catch-ups finished since this page opened the device ('sync' events with finished: true). */
  caughtUp: number
  /** Every 'error' event since this page opened the device, whether or not the banner still shows it. */
  errors: Array<{ name: string, message: string }>
  /** The call in progress (web/src/calls/test-hooks.ts); absent when calls did not start. */
  calls?: CallTestHooks
  /** The draft the device store holds for a conversation (issue 16: saved a moment after typing stops). */
  draft: (conversationId: string) => Promise<string | undefined>
  /** Issue 14: the texts of a conversation's newest page of messages as the device store (IndexedDB) holds them. */
  storedTexts: (conversationId: string) => Promise<string[]>
}

/** What the field harness hears of each message event (test/field/browser-device.ts). */
export interface FieldMessage { id: string, text: string, fromMe: boolean }

declare global {
  interface Window {
    __dak?: DakTestHooks
    /** Exposed by a harness (Playwright's exposeBinding) to time each arrival on its own clock, as `dak listen --json` lines are timed. */
    __dakFieldMessage?: (message: FieldMessage) => void
  }
}

/**
 * Call this straight after the device opens, with no await in between: its
 * first catch-up needs only a few round trips on loopback, and it once
 * finished while the page was still loading the calls code, so `caughtUp`
 * stayed 0 and reload tests waited in vain (the stop-20 failures of
 * browser-reloads, everyday and calls). Calls' hooks come later (attachCallHooks).
 */
export function exposeTestHooks (device: OpenDevice, calls?: CallManager): void {
  const errors: DakTestHooks['errors'] = []
  let caughtUp = 0
  device.messenger.on('sync', ({ finished }) => { if (finished) caughtUp++ })
  device.messenger.on('error', (error) => { errors.push(error) })
  device.messenger.on('message', (m) => { window.__dakFieldMessage?.({ id: m.id, text: m.text, fromMe: m.fromMe }) })
  window.__dak = {
    get caughtUp () { return caughtUp },
    errors,
    peerId: device.libp2p.peerId.toString(),
    connections: () => device.libp2p.getConnections().map(c => ({
      peer: c.remotePeer.toString(),
      address: c.remoteAddr.toString(),
      direct: c.direct,
      multiplexer: c.multiplexer ?? '',
      limited: c.limits != null,
      protocols: c.streams.map(s => s.protocol ?? '')
    })),
    subscribers: (topic) => device.libp2p.services.pubsub.getSubscribers(topic).map(p => p.toString()),
    ...(calls !== undefined ? { calls: callTestHooks(calls) } : {}),
    draft: async (conversationId) => (await device.store.prefs.of(conversationId)).draft,
    storedTexts: async (conversationId) => (await device.messenger.history(conversationId)).messages.map(m => m.text ?? '')
  }
}

/** The calls' hooks, once the calls code has loaded (after exposeTestHooks). */
export function attachCallHooks (calls: CallManager): void {
  if (window.__dak !== undefined) window.__dak.calls = callTestHooks(calls)
}
