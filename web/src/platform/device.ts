/**
 * The device in this browser: its store in IndexedDB (browser-level) and the
 * browser builds of enrolDevice/openDevice from @dak/node. This module and
 * what it imports (libp2p, MLS, level) are most of the bundle, so platform.ts
 * loads it only when it is needed.
 */
import { enrolDevice } from '@dak/node/device/enrol-device'
import { openDevice, type OpenDevice, type WipeNotice } from '@dak/node/device/open-device'
import { BrowserLevel } from 'browser-level'
import { DEVICE_DATABASE } from '../constants.js'
import { departmentAddresses, rememberNode } from './department-node.js'
import { browserStorageKey } from './storage-key.js'
import { eraseThisBrowser, sendPendingWipeReport } from './wipe.js'

/**
 * Take a relay reservation on the department node (`/p2p-circuit`) so other
 * browsers can reach this one through it, and accept WebRTC offers that
 * arrive that way (`/webrtc`), which then become direct connections.
 */
const LISTEN = ['/p2p-circuit', '/webrtc']

/** How long an open enrolment page waits for an offline authority's signature, and how often it asks. */
const ENROL_WAIT_MS = 60 * 60_000
const ENROL_POLL_MS = 5_000

function database (): BrowserLevel<string, Uint8Array> {
  return new BrowserLevel<string, Uint8Array>(DEVICE_DATABASE)
}

/** Enrol with the department node at `nodeUrl` and keep where it can be dialled. */
export async function enrolThisBrowser (invite: string, nodeUrl: string, onPending?: () => void): Promise<void> {
  // the store is sealed under this browser's storage key from its first record on (storage-key.ts)
  const enrolled = await enrolDevice({
    db: database(),
    storageKey: await browserStorageKey(),
    invite,
    nodeUrl,
    // a department whose authority signs offline records the request; the page keeps asking with the same keys while it stays open
    waitForSignature: { timeoutMs: ENROL_WAIT_MS, intervalMs: ENROL_POLL_MS, ...(onPending != null ? { onPending: () => { onPending() } } : {}) }
  })
  rememberNode(enrolled.nodeUrl, enrolled.node)
}

/**
 * Open the enrolled device; rejects with NotEnrolledError when there is none. `onWiped`: it obeyed a remote wipe order and is erased.
 * `pin`: with a PIN set, what unlocks the storage key (PinRequiredError without it, WrongPinError when wrong).
 */
export async function openThisBrowser (nodeUrl: string, onWiped: (notice: WipeNotice) => void, pin?: string): Promise<OpenDevice> {
  // before anything else: a locked browser does nothing, not even send a pending wipe report, until the PIN opens it
  const storageKey = await browserStorageKey(pin)
  // a wipe's report that no node took at the time: hand it over now (the device itself is gone: opening says not enrolled)
  await sendPendingWipeReport(nodeUrl).catch((err: unknown) => { console.warn('Dak: the wipe report could not be sent yet', err) })
  return await openDevice({
    db: database(),
    // a store from before encryption at rest is sealed as it opens (docs/storage.md, "Migration")
    storageKey,
    bootstrap: await departmentAddresses(nodeUrl),
    listen: LISTEN,
    // Where a device the node refuses fetches the signed revocation lists, to
    // learn whether its access was withdrawn (the page then says so).
    nodeUrls: [nodeUrl],
    // The node dialled is the one that served this page. On an office LAN
    // (and in development) it has only private addresses and plain ws://,
    // which libp2p refuses in browsers by default; every peer still has to
    // pass the certificate gate.
    dialPrivateAddresses: true,
    // remote wipe: erase this browser's store and keys when the department orders it (platform/wipe.ts)
    wipe: {
      erase: eraseThisBrowser,
      onWiped,
      onError: (err) => { if (err instanceof Error && err.name !== 'TypeError' && err.name !== 'TimeoutError' && err.name !== 'AbortError') console.warn('Dak: ignored a wipe order', err) }
    }
  })
}
