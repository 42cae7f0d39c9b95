import { stat } from 'node:fs/promises'
import { ClassicLevel } from 'classic-level'
import { NotEnrolledError } from '../net/index.js'
import { dbPath } from './config.js'
import { tightenModes } from './device-key.js'
import { DataDirBusyError } from './errors.js'
import { removeStaleSocket } from './running/socket-path.js'
import { readWiped, wipedMessage } from './wipe.js'

export type DeviceDb = ClassicLevel<string, Uint8Array>

/**
 * Open DIR/db. A missing database means "not enrolled" — checked first so
 * that a mistyped --data does not leave an empty database behind. classic-level
 * allows one process per database: a second one (usually a `dak listen`
 * still running) gets DataDirBusyError rather than a storage error.
 */
export async function openDeviceDb (dir: string, options: { create?: boolean } = {}): Promise<DeviceDb> {
  const path = dbPath(dir)
  if (options.create !== true && !(await exists(path))) {
    const wiped = await readWiped(dir)
    if (wiped != null) throw new NotEnrolledError(`no device in ${dir}: ${wipedMessage(wiped)}`)
    throw new NotEnrolledError(`no device in ${dir}: run \`dak init --invite ...\` first (or pass --data)`)
  }
  const db = new ClassicLevel<string, Uint8Array>(path, { valueEncoding: 'view' })
  try {
    await db.open()
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause
    if (cause?.code === 'LEVEL_LOCKED') throw new DataDirBusyError(`${dir} is in use by another dak process that takes no commands over its socket (a command still running, a dak listen still starting, or a dak from before running mode): wait for it and try again`)
    throw err
  }
  // an older dak left the store world-readable (0755/0644): only the owner may read it
  await tightenModes(dir, (line) => { process.stderr.write(line + '\n') })
  // We hold the lock now, and a running dak holds it as long as it serves its socket:
  // a socket file still there is a killed process's. Removing it spares the next command a failed connect.
  try {
    await removeStaleSocket(dir)
  } catch (err) {
    process.stderr.write(`warning: could not remove a stale socket in ${dir}: ${err instanceof Error ? err.message : String(err)}\n`)
  }
  return db
}

async function exists (path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
