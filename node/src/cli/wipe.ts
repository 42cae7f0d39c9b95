import { randomBytes } from 'node:crypto'
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { WipeNotice } from '../device/wipe-order.js'
import { sendWipeReport } from '../department/http.js'
import { dbPath } from './config.js'
import { keyFilePath } from './keyfile.js'

/**
 * Remote wipe on a `dak` device (node/src/device/wipe-order.ts decides when):
 * the key file is overwritten and removed first — the store is sealed under
 * the key it wraps, so from that moment the database is unreadable even if
 * removing it is cut short — then DIR/db goes. What remains is config.json
 * (how to reach the node: no secret) and DIR/wiped.json, which says when and
 * by whose order, and holds the signed report if no node took it yet: the
 * next `dak` run sends it (sendPendingWipeReport) and says "not enrolled".
 */

export const WIPED_FILE = 'wiped.json'
/** A report that cannot be delivered in this long is kept for the next run. */
const REPORT_TIMEOUT_MS = 5_000

interface WipedFile extends WipeNotice {
  /** Hex of the signed report, while no department node has taken it. */
  unsentReport?: string
}

export async function eraseDevice (dir: string, notice: WipeNotice, unsentReport?: Uint8Array): Promise<void> {
  await overwriteAndRemove(keyFilePath(dir))
  await rm(dbPath(dir), { recursive: true, force: true })
  const record: WipedFile = { ...notice, ...(unsentReport != null ? { unsentReport: Buffer.from(unsentReport).toString('hex') } : {}) }
  await writeFile(join(dir, WIPED_FILE), JSON.stringify(record, null, 2) + '\n', { mode: 0o600 })
}

/** Random bytes over the file's contents, flushed, then unlink: the wrapped (or, with --no-passphrase, bare) key does not stay in the file's blocks by simple deletion. */
async function overwriteAndRemove (path: string): Promise<void> {
  let size: number
  try {
    size = (await stat(path)).size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  const handle = await open(path, 'r+')
  try {
    await handle.write(randomBytes(Math.max(size, 1)), 0, Math.max(size, 1), 0)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rm(path, { force: true })
}

export async function readWiped (dir: string): Promise<WipedFile | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, WIPED_FILE), 'utf8')) as WipedFile
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** The plain words for a wiped device, for the error and for `dak` run on it again. */
export function wipedMessage (notice: WipeNotice): string {
  const day = new Date(notice.orderedAt).toISOString().slice(0, 10)
  return `This device was wiped by order of ${notice.department} (ordered ${day}): its messages and keys are erased${notice.reported ? ' and the department was told' : ''}. Ask your department IT for a new invite.`
}

/**
 * A wiped device's report that no node took at the time: send it now. Quietly
 * kept for the next run when the node still cannot be reached.
 */
export async function sendPendingWipeReport (dir: string, nodeUrl: string | undefined, note: (line: string) => void): Promise<void> {
  const wiped = await readWiped(dir)
  if (wiped?.unsentReport == null || nodeUrl == null) return
  try {
    await sendWipeReport(nodeUrl, Buffer.from(wiped.unsentReport, 'hex'), { signal: AbortSignal.timeout(REPORT_TIMEOUT_MS) })
  } catch (err) {
    note(`note: could not tell ${nodeUrl} yet that this device was wiped (${err instanceof Error ? err.message : String(err)}); trying again next time`)
    return
  }
  const { unsentReport: _sent, ...rest } = wiped
  await writeFile(join(dir, WIPED_FILE), JSON.stringify({ ...rest, reported: true }, null, 2) + '\n', { mode: 0o600 })
}
