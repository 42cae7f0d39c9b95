/**
 * Issue 14, remote wipe while locked (docs/web.md, docs/threats.md): a
 * stolen browser locked by a PIN must still obey its department's wipe
 * order. While the lock screen shows, the page asks the department node for an
 * order naming this device every LOCKED_WIPE_CHECK_MS (and when the network
 * comes back), with what wipe-watch-record.ts kept readable without the PIN.
 * Only an order signed by the authority that certified this device, for this
 * device, is obeyed (verifyWipeOrderFor, as for an open device): a node or a
 * network attacker cannot wipe a locked browser either.
 *
 * What it cannot do: sign the report. The report is signed with the device
 * key, which is in the store sealed under the PIN; the thief does not have
 * the PIN and the page must not wait for it. So the page erases without a
 * report, says so in its notice (`reported: false`), and the department's
 * audit log keeps the order without a `wipe-done` after it. Faking a report
 * would be worse than none: a report proves the device key signed it.
 */
import { DEVICE_DATABASE, DEVICE_LOCK_WAIT_MS, LOCKED_WIPE_CHECK_MS } from '../constants.js'
import { lockDevice } from './device-lock.js'
import { eraseThisBrowser } from './wipe.js'
import { findWipeOrder, type LockedWipeFound } from './find-wipe-order.js'
import { readWipeWatchRecord } from './wipe-watch-record.js'

/** Watch while locked; `onWiped` once this browser is erased. Returns the function that stops watching. */
export function watchLockedWipe (onWiped: () => void): () => void {
  let stopped = false
  let running = false
  const report = (err: unknown): void => {
    // an unreachable node is the normal case for a device away from the office: not worth a warning each time
    if (err instanceof Error && (err.name === 'TypeError' || err.name === 'TimeoutError' || err.name === 'AbortError')) return
    console.warn('Dak (locked): ignored a wipe order or a failed check', err)
  }
  const check = async (): Promise<void> => {
    if (stopped || running) return
    running = true
    try {
      const record = await readWipeWatchRecord()
      if (record === undefined) return
      const found = await findWipeOrder(record, { onError: report })
      if (found === undefined || stopped) return
      await obey(found)
    } catch (err) {
      report(err)
    } finally {
      running = false
    }
  }
  const obey = async ({ order, department }: LockedWipeFound): Promise<void> => {
    // the device lock: no tab may open the store while it is erased (one that holds it open is unlocked, and obeys by itself)
    const release = await lockDevice(DEVICE_DATABASE, DEVICE_LOCK_WAIT_MS)
    try {
      await eraseThisBrowser({ department, orderedAt: order.issuedAt, wipedAt: Date.now(), reported: false })
      stopped = true
    } finally {
      release()
    }
    onWiped()
  }
  const onOnline = (): void => { void check() }
  window.addEventListener('online', onOnline)
  const timer = setInterval(() => { void check() }, LOCKED_WIPE_CHECK_MS)
  void check()
  return () => {
    stopped = true
    clearInterval(timer)
    window.removeEventListener('online', onOnline)
  }
}
