import { toHex } from '../bytes.js'
import { decodeBounded } from '../codec.js'
import { MalformedInputError } from '../errors.js'
import type * as rpc from '../wire/generated/rpc.js'
import { MAX_AUTO_DOWNLOAD_BYTES, MAX_EDIT_WINDOW_MS, MAX_LOCK_AFTER_MS, PROTOCOL_LIMITS } from './constants.js'
import { DepartmentSettings, DirectoryPage, HeldKeyPackages, RevocationLists } from '../wire/generated/department.js'

/**
 * Checks a client makes on a node's answers before believing them. A node is
 * trusted to store, not to be right: a page that goes backwards or a cursor
 * that does not move would make a catch-up loop for ever.
 */

export function checkQueryPage (page: rpc.QueryPage, afterSequence: number): rpc.QueryPage {
  let previous = afterSequence
  for (const entry of page.entries) {
    if (!Number.isSafeInteger(entry.sequence) || entry.sequence <= previous) throw new MalformedInputError('query page is not in ascending order after the cursor')
    previous = entry.sequence
  }
  if (page.nextAfterSequence !== previous) throw new MalformedInputError('query page cursor does not follow its last entry')
  if (page.hasMore && page.entries.length === 0) throw new MalformedInputError('query page says there is more but carries nothing')
  return page
}

export function decodeDirectoryPage (bytes: Uint8Array): DirectoryPage {
  return decodeBounded(DirectoryPage, bytes, PROTOCOL_LIMITS.directory.maxResponseBytes, 'directory page')
}

export function decodeRevocationLists (bytes: Uint8Array): Uint8Array[] {
  return decodeBounded(RevocationLists, bytes, PROTOCOL_LIMITS.revocations.maxResponseBytes, 'revocation lists').lists
}

/** Which of this device's key packages a node holds: references (hex SHA-256), each 32 bytes. */
export function decodeHeldKeyPackages (bytes: Uint8Array): { refs: string[], complete: boolean } {
  const held = decodeBounded(HeldKeyPackages, bytes, PROTOCOL_LIMITS.heldKeyPackages.maxResponseBytes, 'held key packages')
  if (held.refs.some(ref => ref.length !== 32)) throw new MalformedInputError('a key package reference is not 32 bytes')
  return { refs: held.refs.map(toHex), complete: held.complete }
}

/** The cursor for the page after `page`; it must move forward (device keys in hex order). */
export function nextDirectoryCursor (cursor: Uint8Array, page: DirectoryPage): Uint8Array {
  const next = page.nextAfterDeviceKey
  if (next.length === 0 || toHex(next) <= toHex(cursor)) throw new MalformedInputError('directory cursor does not move forward')
  return next
}

/** The department's settings (issue 16), each within what a device accepts. */
export function decodeSettings (bytes: Uint8Array): { editWindowMs: number, lockAfterMs?: number, autoDownloadBytes?: number, requirePin?: boolean } {
  const settings = decodeBounded(DepartmentSettings, bytes, PROTOCOL_LIMITS.settings.maxResponseBytes, 'department settings')
  if (!Number.isSafeInteger(settings.editWindowMs) || settings.editWindowMs > MAX_EDIT_WINDOW_MS) throw new MalformedInputError(`edit window of ${settings.editWindowMs} ms is outside 0 to ${MAX_EDIT_WINDOW_MS} ms`)
  if (!Number.isSafeInteger(settings.lockAfterMs) || settings.lockAfterMs > MAX_LOCK_AFTER_MS) throw new MalformedInputError(`inactivity lock of ${settings.lockAfterMs} ms is outside 0 to ${MAX_LOCK_AFTER_MS} ms`)
  const auto = settings.autoDownloadBytes
  if (auto !== undefined && (!Number.isSafeInteger(auto) || auto < 0 || auto > MAX_AUTO_DOWNLOAD_BYTES)) throw new MalformedInputError(`automatic download of files up to ${auto} bytes is outside 0 to ${MAX_AUTO_DOWNLOAD_BYTES}`)
  // 0: a node that does not set it (or an older one); the device keeps its default
  return { editWindowMs: settings.editWindowMs, ...(settings.lockAfterMs > 0 ? { lockAfterMs: settings.lockAfterMs } : {}), ...(auto !== undefined ? { autoDownloadBytes: auto } : {}), ...(settings.requirePin !== undefined ? { requirePin: settings.requirePin } : {}) }
}
