/**
 * Remote wipe in the browser (node/src/device/wipe-order.ts decides when):
 * the wrapped storage key and its non-extractable wrapping key go first —
 * the device store is sealed under that key, so from then on it is
 * unreadable even if deleting it is cut short — then the device's IndexedDB
 * database and the node's remembered addresses. What stays is a notice in
 * localStorage (department and dates, no secret) so the enrol screen can say
 * why this browser is empty, and the signed report while no node took it.
 */
import { BrowserLevel } from 'browser-level'
import type { WipeNotice } from '@dak/node/device/open-device'
import { sendWipeReport } from '@dak/node/department'
import { DEVICE_DATABASE, NODE_INFO_KEY, WIPED_KEY } from '../constants.js'
import { eraseStorageKey } from './storage-key.js'

interface WipedRecord extends WipeNotice {
  /** Hex of the signed report, while no department node has taken it. */
  unsentReport?: string
}

export async function eraseThisBrowser (notice: WipeNotice, unsentReport?: Uint8Array): Promise<void> {
  await eraseStorageKey()
  await BrowserLevel.destroy(DEVICE_DATABASE)
  localStorage.removeItem(NODE_INFO_KEY)
  const record: WipedRecord = { ...notice, ...(unsentReport != null ? { unsentReport: toHex(unsentReport) } : {}) }
  localStorage.setItem(WIPED_KEY, JSON.stringify(record))
}

/** A report no node took at the time: send it now (kept for the next load if the node is still out of reach). */
export async function sendPendingWipeReport (nodeUrl: string): Promise<void> {
  const text = localStorage.getItem(WIPED_KEY)
  if (text === null) return
  const record = JSON.parse(text) as WipedRecord
  if (record.unsentReport == null) return
  await sendWipeReport(nodeUrl, fromHex(record.unsentReport), { signal: AbortSignal.timeout(5_000) })
  const { unsentReport: _sent, ...rest } = record
  localStorage.setItem(WIPED_KEY, JSON.stringify({ ...rest, reported: true }))
}

function toHex (bytes: Uint8Array): string {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}

function fromHex (hex: string): Uint8Array {
  return new Uint8Array((hex.match(/../g) ?? []).map(h => parseInt(h, 16)))
}
