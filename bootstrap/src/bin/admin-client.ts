import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DakError } from '@dak/protocol'
import { ADMIN_FILE } from '../node/admin.js'

/**
 * The CLI's side of the running node's admin API. `undefined` from
 * connectAdmin means no node is running (no admin.json, or nobody answers at
 * its address: a node that was killed leaves the file behind).
 */

export class AdminError extends DakError {
  constructor (override readonly name: string, message: string) {
    super(message)
  }
}

export interface AdminClient {
  call: (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<unknown>
}

export async function connectAdmin (dataDir: string): Promise<AdminClient | undefined> {
  let admin: { url: string, token: string }
  try {
    admin = JSON.parse(await readFile(join(dataDir, ADMIN_FILE), 'utf8')) as { url: string, token: string }
  } catch {
    return undefined
  }
  const call: AdminClient['call'] = async (method, path, body) => {
    const response = await fetch(new URL(path, admin.url), {
      method,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      ...(body == null ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000)
    })
    const answer = await response.json() as unknown
    if (!response.ok) {
      const error = answer as { name?: string, message?: string }
      throw new AdminError(error.name ?? 'AdminError', error.message ?? `admin API answered ${response.status}`)
    }
    return answer
  }
  try {
    await call('GET', '/admin/status')
    return { call }
  } catch (err) {
    if (err instanceof AdminError) throw err
    return undefined
  }
}
