/**
 * The browser platform: enrolment, and the messenger running in this page.
 * The device's keys, conversations and messages live in IndexedDB. Its libp2p
 * node dials the department node that served this page over WebSockets, and
 * other officers' browsers over WebRTC, with the node's relay carrying only
 * the signalling. docs/web.md, "How the client connects".
 *
 * The device code (platform/device.ts: libp2p, MLS, level) is most of the
 * bundle, so it is imported when first needed and the page paints
 * *Opening Dak…* before it arrives.
 */
import type { OpenDevice } from '@dak/node/device/open-device'
import { DEFAULT_LOCK_AFTER_MS, DEVICE_DATABASE, DEVICE_LOCK_WAIT_MS, LOCK_AFTER_SETTING, OFFICER_LOCK_AFTER_SETTING, REQUIRE_PIN_SETTING, WIPED_KEY } from './constants.js'
import { errorParts } from './errors.js'
import { inviteForEnrolment } from './invite.js'
import type { Messenger, PinLock } from './messenger.js'
import { lockDevice } from './platform/device-lock.js'
import { InsecureContextError } from './platform/errors.js'
import { attachCallHooks, exposeTestHooks } from './platform/test-hooks.js'
import type { Calls } from './calls/types.js'
import { checkLockChoice, checkPinRemoval, effectiveLockAfterMs, policyOf, type PinPolicy } from './state/pin-policy.js'

function requireSecureContext (): void {
  if (!window.isSecureContext) throw new InsecureContextError('Dak must be opened over https (or as http://localhost on this computer)')
}

export async function enrol (inviteUrlOrCode: string, options: { onPending?: () => void } = {}): Promise<void> {
  requireSecureContext()
  const release = await lockDevice(DEVICE_DATABASE, DEVICE_LOCK_WAIT_MS)
  try {
    const { enrolThisBrowser } = await import('./platform/device.js')
    // the node that served this page enrols it, whatever host an invite link names
    await enrolThisBrowser(inviteForEnrolment(inviteUrlOrCode), location.origin, options.onPending)
    // enrolled again after a remote wipe: the notice has served its purpose
    localStorage.removeItem(WIPED_KEY)
  } finally {
    release()
  }
}

/** `pin`: with a PIN lock set (docs/web.md, *PIN lock*), what unlocks this browser; without it, rejects with PinRequiredError. */
export async function openMessenger (pin?: string): Promise<Messenger | null> {
  requireSecureContext()
  const release = await lockDevice(DEVICE_DATABASE, DEVICE_LOCK_WAIT_MS)
  try {
    const { openThisBrowser } = await import('./platform/device.js')
    // after a remote wipe the page starts again: the device is gone, the enrol screen says why (platform/wipe.ts)
    const device = await openThisBrowser(location.origin, () => { release(); location.reload() }, pin)
    // before any other await: the test hooks count catch-ups from the first one (test-hooks.ts)
    if (import.meta.env.MODE === 'test') exposeTestHooks(device)
    // what a locked page needs to obey a wipe order (platform/wipe-watch-record.ts): in the background, and failing to keep it must not keep Dak shut
    void import('./platform/wipe-watch-record.js').then(async ({ keepWipeWatchRecord }) => { await keepWipeWatchRecord(device.store, [location.origin]) })
      .catch((err: unknown) => { console.error('Dak: keeping what a locked page needs to obey a wipe order failed', err) })
    const calls = await openCallsFor(device)
    if (import.meta.env.MODE === 'test' && calls !== undefined) attachCallHooks(calls)
    const messenger = messengerOf(device, release, calls)
    if (calls !== undefined) callsByMessenger.set(messenger, calls)
    devicesByMessenger.set(messenger, device)
    return messenger
  } catch (err) {
    release()
    if (errorParts(err).name === 'NotEnrolledError') return null
    throw err
  }
}

// --- PIN lock (issue 14, docs/web.md *PIN lock*); the key code (Argon2id) loads only when used ---
const devicesByMessenger = new WeakMap<Messenger, OpenDevice>()

async function storeOf (messenger: Messenger): Promise<OpenDevice['store']> {
  const device = devicesByMessenger.get(messenger)
  if (device === undefined) throw new Error('this messenger was not opened by this page')
  return device.store
}

/** The department's PIN policy as the engine last learnt it (node/src/messenger/edit-window.ts); until then no requirement and the default delay. */
async function policyFor (messenger: Messenger): Promise<PinPolicy> {
  const store = await storeOf(messenger)
  return policyOf({ requirePin: await store.prefs.setting(REQUIRE_PIN_SETTING), departmentLockAfterMs: await store.prefs.setting(LOCK_AFTER_SETTING) }, DEFAULT_LOCK_AFTER_MS)
}

export const pinLock: PinLock = {
  isSet: async () => await (await import('./platform/storage-key.js')).pinIsSet(),
  set: async (newPin, currentPin) => { await (await import('./platform/storage-key.js')).setPin(newPin, currentPin) },
  async remove (currentPin, messenger) {
    // refused before the PIN is tried: under the policy there is nothing to try it for
    checkPinRemoval(await policyFor(messenger))
    await (await import('./platform/storage-key.js')).removePin(currentPin)
  },
  policy: policyFor,
  async lockAfterMs (messenger) {
    // the officer's choice, never past the department's longest (a department may have lowered it since)
    return effectiveLockAfterMs(await policyFor(messenger), await (await storeOf(messenger)).prefs.setting(OFFICER_LOCK_AFTER_SETTING))
  },
  async setLockAfterMs (messenger, ms) {
    if (ms !== undefined) checkLockChoice(await policyFor(messenger), ms)
    await (await storeOf(messenger)).prefs.putSetting(OFFICER_LOCK_AFTER_SETTING, ms)
  },
  chosenLockAfterMs: async (messenger) => await (await storeOf(messenger)).prefs.setting(OFFICER_LOCK_AFTER_SETTING)
}

/** Remote wipe while locked (platform/locked-wipe.ts); the code loads only once the page is locked. */
export function watchWipeWhileLocked (onWiped: () => void): () => void {
  let stop: (() => void) | undefined
  let stopped = false
  import('./platform/locked-wipe.js').then(
    ({ watchLockedWipe }) => { if (!stopped) stop = watchLockedWipe(onWiped) },
    (err: unknown) => { console.error('Dak: the locked page cannot watch for a wipe order', err) }
  )
  return () => { stopped = true; stop?.() }
}

// --- calls (docs/calls.md) ---
const callsByMessenger = new WeakMap<Messenger, Calls>()

/** The calls of a messenger openMessenger() returned; undefined when calls could not start. */
export function callsOf (messenger: Messenger): Calls | undefined {
  return callsByMessenger.get(messenger)
}

async function openCallsFor (device: OpenDevice): Promise<Awaited<ReturnType<typeof import('./calls/open-calls.js')['openCalls']>> | undefined> {
  try {
    const { openCalls } = await import('./calls/open-calls.js')
    return await openCalls(device)
  } catch (err) {
    // messages work without calls: say why there are no call buttons, and go on
    console.error('Calls are not available on this device', err)
    return undefined
  }
}
// --- end calls ---

/** The device's messenger, whose stop() also stops libp2p, closes the store and lets another tab in. */
function messengerOf (device: OpenDevice, release: () => void, calls?: Calls): Messenger {
  const m = device.messenger
  return {
    whoami: () => m.whoami(),
    contacts: async () => await m.contacts(),
    conversations: async () => await m.conversations(),
    startDirect: async (handle) => await m.startDirect(handle),
    createGroup: async (title, handles) => await m.createGroup(title, handles),
    addMembers: async (id, handles) => { await m.addMembers(id, handles) },
    removeMember: async (id, handle) => { await m.removeMember(id, handle) },
    leave: async (id) => { await m.leave(id) },
    send: async (id, text, options) => await m.send(id, text, options),
    sendFile: async (id, file) => await m.sendFile(id, file),
    download: async (messageId, options) => await m.download(messageId, options),
    fileStatus: async (messageId) => await m.fileStatus(messageId),
    autoDownload: async () => await m.autoDownload(),
    setAutoDownload: async (bytes) => await m.setAutoDownload(bytes),
    history: async (id, options) => await m.history(id, options),
    markRead: async (id) => { await m.markRead(id) },
    setTimer: async (id, timerMs) => await m.setTimer(id, timerMs),
    safetyNumber: async (handle) => await m.safetyNumber(handle),
    verifySafetyQr: async (handle, payload) => await m.verifySafetyQr(handle, payload),
    devices: async (handle) => await m.devices(handle),
    acceptDevice: async (handle, deviceKey) => await m.acceptDevice(handle, deviceKey),
    linkDevice: async () => await m.linkDevice(),
    vouchDevice: async (deviceKey) => await m.vouchDevice(deviceKey),
    removeOwnDevice: async (deviceKey) => await m.removeOwnDevice(deviceKey),
    historyTransfers: async () => await m.historyTransfers(),
    status: () => m.status(),
    on: (event, listener) => m.on(event, listener),
    // issue 16
    edit: async (id, messageId, text) => await m.edit(id, messageId, text),
    deleteMessage: async (id, messageId) => await m.deleteMessage(id, messageId),
    search: async (query, options) => await m.search(query, options),
    setDraft: async (id, text) => { await m.setDraft(id, text) },
    setMuted: async (id, muted) => { await m.setMuted(id, muted) },
    sendDirective: async (id, text, options) => await m.sendDirective(id, text, options),
    acknowledgeDirective: async (id, messageId) => await m.acknowledgeDirective(id, messageId),
    directiveStatus: async (messageId) => await m.directiveStatus(messageId),
    exportDirective: async (messageId) => await m.exportDirective(messageId),
    editWindow: async () => await m.editWindow(),
    stop: async () => {
      try {
        await calls?.stop().catch((err: unknown) => { console.error('Stopping calls failed', err) })
        await device.stop()
      } finally {
        release()
      }
    }
  }
}

/** The notice a remote wipe left in this browser (platform/wipe.ts), read without loading the device code. */
export function wipedNotice (): { department: string, orderedAt: number } | null {
  const text = localStorage.getItem(WIPED_KEY)
  if (text === null) return null
  try {
    const notice = JSON.parse(text) as { department?: unknown, orderedAt?: unknown }
    return typeof notice.department === 'string' && typeof notice.orderedAt === 'number' ? { department: notice.department, orderedAt: notice.orderedAt } : null
  } catch {
    return null
  }
}
