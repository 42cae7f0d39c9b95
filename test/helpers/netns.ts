import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

/**
 * A network namespace joined to this one by a veth pair: a second machine on
 * a LAN, for tests that must not use loopback (a browser on another machine
 * is not on localhost, so it gets no secure context without HTTPS). Needs
 * root and iproute2; every step is bounded, and remove() undoes it all.
 */

const run = promisify(execFile)
const STEP_TIMEOUT_MS = 10_000

export interface Lan {
  /** The address of this (the host) side: where the node listens. */
  hostAddress: string
  /** The address inside the namespace: the "other machine". */
  guestAddress: string
  namespace: string
  /** A script that runs `command` inside the namespace: `exec ip netns exec NS command "$@"`. */
  wrap: (command: string, dir: string) => Promise<string>
  remove: () => Promise<void>
}

export function canCreateLan (): boolean {
  return process.getuid?.() === 0 && (existsSync('/usr/sbin/ip') || existsSync('/sbin/ip') || existsSync('/usr/bin/ip'))
}

async function ip (...args: string[]): Promise<void> {
  await run('ip', args, { timeout: STEP_TIMEOUT_MS })
}

export async function createLan (): Promise<Lan> {
  // names and a /30 from the pid: parallel test processes do not collide
  const tag = process.pid % 10_000
  const namespace = `dak-lan-${tag}`
  const hostIf = `dkl${tag}h`
  const guestIf = `dkl${tag}g`
  const subnet = `10.${200 + Math.floor(tag / 4096) % 50}.${Math.floor(tag / 16) % 256}.${(tag % 16) * 16}`
  const [a, b, c, d] = subnet.split('.').map(Number) as [number, number, number, number]
  const hostAddress = `${a}.${b}.${c}.${d + 1}`
  const guestAddress = `${a}.${b}.${c}.${d + 2}`
  const remove = async (): Promise<void> => {
    // deleting the namespace deletes its end of the pair, which deletes the other end
    await ip('netns', 'delete', namespace).catch(() => undefined)
    await ip('link', 'delete', hostIf).catch(() => undefined)
  }
  await remove() // left over from a killed run with the same pid
  try {
    await ip('netns', 'add', namespace)
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', guestIf)
    await ip('link', 'set', guestIf, 'netns', namespace)
    await ip('addr', 'add', `${hostAddress}/28`, 'dev', hostIf)
    await ip('link', 'set', hostIf, 'up')
    await ip('-n', namespace, 'addr', 'add', `${guestAddress}/28`, 'dev', guestIf)
    await ip('-n', namespace, 'link', 'set', guestIf, 'up')
    await ip('-n', namespace, 'link', 'set', 'lo', 'up')
  } catch (err) {
    await remove()
    throw err
  }
  return {
    hostAddress,
    guestAddress,
    namespace,
    wrap: async (command, dir) => {
      const path = join(dir, `in-${namespace}.sh`)
      await writeFile(path, `#!/bin/sh\nexec ip netns exec ${namespace} ${command} "$@"\n`)
      await chmod(path, 0o755)
      return path
    },
    remove
  }
}
