/**
 * Which wipe order, if any, a locked browser must obey (locked-wipe.ts): the
 * same check as an open device's (node/src/device/wipe-order.ts), from the
 * certificate and trust bundle kept readable without the PIN
 * (wipe-watch-record.ts). No IndexedDB here, so it runs in unit tests too.
 */
import { fetchWipeOrder } from '@dak/node/department'
import { decodeCertificate, TrustStore, verifyWipeOrderFor, type WipeOrder } from '@dak/protocol'
import type { WipeWatchRecord } from './wipe-watch-record.js'

/** One order fetch that has not answered by then is given up; the next check asks again. */
const FETCH_TIMEOUT_MS = 8_000

export interface LockedWipeFound { order: WipeOrder, department: string }

/**
 * Ask each node of `record` for an order naming this device; the first that
 * verifies, else undefined. A failed fetch or a refused order is reported
 * through `onError` and changes nothing.
 */
export async function findWipeOrder (record: WipeWatchRecord, options: { fetch?: typeof fetch, onError?: (err: unknown) => void } = {}): Promise<LockedWipeFound | undefined> {
  const { certificate } = decodeCertificate(record.certificate)
  const trust = TrustStore.decode(record.trustBundle)
  for (const url of record.nodeUrls) {
    let bytes: Uint8Array | undefined
    try {
      bytes = await fetchWipeOrder(url, certificate.devicePublicKey, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), ...(options.fetch != null ? { fetch: options.fetch } : {}) })
    } catch (err) {
      options.onError?.(err)
      continue
    }
    if (bytes === undefined) continue
    try {
      const order = verifyWipeOrderFor(bytes, { certificate, trust })
      return { order, department: trust.authorityFor(order.authorityPublicKey)?.name ?? certificate.department }
    } catch (err) {
      options.onError?.(err) // not from our authority, or not for us: proves nothing, changes nothing
    }
  }
  return undefined
}
