import { chmod, lstat, mkdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { UnsafeDataDirError } from '../errors.js'

/**
 * Where a running `dak` listens for the other `dak` commands of its data
 * directory, and the checks that keep other local users off it. The socket is
 * DIR/run/dak.sock: run/ is a directory of its own, mode 0700, so the socket is
 * out of other users' reach from the moment it is bound (a socket's own mode is
 * set only after bind; the directory closes that gap), and the socket is 0600
 * as well. Both sides check ownership before they trust the path: a data
 * directory that others may write to could have had its run/ swapped for theirs.
 */

export const socketDirOf = (dataDir: string): string => join(dataDir, 'run')
export const socketPathOf = (dataDir: string): string => join(socketDirOf(dataDir), 'dak.sock')

/** sun_path holds 108 bytes with its terminating NUL on Linux (104 on macOS). */
const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107

/** Why running mode cannot work here at all (no Unix user ids, a path too long to bind), or undefined. */
export function runningModeUnsupported (dataDir: string): string | undefined {
  if (typeof process.getuid !== 'function' || process.platform === 'win32') return 'running mode needs a Unix-like system'
  const path = socketPathOf(dataDir)
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) return `the socket path ${path} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a Unix socket may have: use a shorter --data path`
  return undefined
}

const uid = (): number => (process.getuid as () => number)()

/** The data directory itself: ours, and no one else may create or rename files in it. */
async function checkDataDir (dataDir: string): Promise<void> {
  const info = await stat(dataDir)
  if (info.uid !== uid()) throw new UnsafeDataDirError(`${dataDir} belongs to another user (uid ${info.uid}): dak serves no socket there`)
  if ((info.mode & 0o022) !== 0) throw new UnsafeDataDirError(`${dataDir} is writable by other users (mode ${(info.mode & 0o777).toString(8)}): chmod go-w ${dataDir}`)
}

/** run/: a real directory (not a link), ours, with no access for anyone else. */
async function checkRunDir (dir: string): Promise<void> {
  const info = await lstat(dir)
  if (!info.isDirectory()) throw new UnsafeDataDirError(`${dir} is not a directory: remove it`)
  if (info.uid !== uid()) throw new UnsafeDataDirError(`${dir} belongs to another user (uid ${info.uid})`)
  if ((info.mode & 0o077) !== 0) throw new UnsafeDataDirError(`${dir} is open to other users (mode ${(info.mode & 0o777).toString(8)}): chmod 700 ${dir}`)
}

/** Server side: make run/ (mode 0700) and check it; returns the socket path to bind. */
export async function prepareSocketDir (dataDir: string): Promise<string> {
  await checkDataDir(dataDir)
  const dir = socketDirOf(dataDir)
  await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err })
  const info = await lstat(dir)
  // ours but too open (an old umask, a copy): close it rather than refuse
  if (info.isDirectory() && info.uid === uid() && (info.mode & 0o077) !== 0) await chmod(dir, 0o700)
  await checkRunDir(dir)
  return socketPathOf(dataDir)
}

/**
 * Client side: is there a socket to try? false when there is none; throws
 * UnsafeDataDirError when there is one we must not trust.
 */
export async function socketToTry (dataDir: string): Promise<boolean> {
  const path = socketPathOf(dataDir)
  let info
  try {
    info = await lstat(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return false
    throw err
  }
  await checkDataDir(dataDir)
  await checkRunDir(socketDirOf(dataDir))
  if (!info.isSocket()) throw new UnsafeDataDirError(`${path} is not a socket: remove it`)
  if (info.uid !== uid()) throw new UnsafeDataDirError(`${path} belongs to another user (uid ${info.uid})`)
  return true
}

/**
 * Remove a socket file no process serves. Only called by a process holding
 * the data directory's database lock: a running dak holds it as long as it
 * serves, so whatever socket is there now is stale. Only our own socket
 * files are removed, never anything else found at that path.
 */
export async function removeStaleSocket (dataDir: string): Promise<boolean> {
  if (runningModeUnsupported(dataDir) != null) return false
  const path = socketPathOf(dataDir)
  try {
    const info = await lstat(path)
    if (!info.isSocket() || info.uid !== uid()) return false
    await unlink(path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return false
    throw err
  }
}
