/**
 * One tab at a time. Two tabs opening the same device would run two libp2p
 * nodes with one peer id and two writers on one store, and their MLS group
 * states would drift apart. A Web Lock held for as long as the device is open
 * keeps the second tab out; the browser releases it when the tab closes.
 */
import { DakBrowserError } from './errors.js'

export class DeviceInUseError extends DakBrowserError {
  override name = 'DeviceInUseError'
}

/** Resolves with the release function once this tab holds the device; waits up to `waitMs` for another tab to let go. */
export async function lockDevice (name: string, waitMs: number): Promise<() => void> {
  return await new Promise((resolve, reject) => {
    let release = (): void => {}
    const held = new Promise<void>((done) => { release = done })
    navigator.locks.request(name, { signal: AbortSignal.timeout(waitMs) }, async () => {
      resolve(release)
      await held
    }).catch((err: unknown) => {
      const timedOut = err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')
      reject(timedOut ? new DeviceInUseError('Dak is open in another tab or window of this browser') : err)
    })
  })
}
