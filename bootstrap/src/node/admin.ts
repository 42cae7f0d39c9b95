import { randomBytes, timingSafeEqual } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DakError, fromHex, InvalidArgumentError } from '@dak/protocol'
import { startHttpServer, type ApiHandler, type HttpServer } from '../http/server.js'
import type { DeviceTarget } from '../enrolment/index.js'
import type { InviteRequest } from './invites.js'
import { parseExpectedHead, type AuditActions } from '../audit/index.js'
import { parseSignedFile, type SignedFile } from '../authority/ceremony-files.js'

/**
 * The admin API of a running node, for `dak-node invite|revoke|devices|status`
 * while `start` holds the database lock. It listens on 127.0.0.1 only, on a
 * port of its own (the public server may face the network), and every
 * request must carry a random token that `start` writes, with the URL, to
 * `<dataDir>/admin.json` (mode 0600): whoever can read the data directory
 * may administer the node, nobody else.
 */

export const ADMIN_FILE = 'admin.json'
/** Admin requests are a few names, or a signed-certificates file (about 600 bytes a certificate): 8 MiB holds 10,000 of those. */
const MAX_ADMIN_BODY_BYTES = 8 * 1024 * 1024

export interface AdminActions {
  invite: (request: InviteRequest) => Promise<unknown>
  revoke: (target: DeviceTarget) => Promise<unknown>
  wipe: (target: { handle: string, deviceKey?: Uint8Array }) => Promise<unknown>
  devices: () => Promise<unknown>
  status: () => Promise<unknown>
  renewTls: () => Promise<void>
  audit: AuditActions
  authorityRequests: () => Promise<unknown>
  authorityImport: (signed: SignedFile) => Promise<unknown>
}

export interface AdminServer {
  url: string
  close: () => Promise<void>
}

export async function startAdminServer (dataDir: string, actions: AdminActions): Promise<AdminServer> {
  const token = randomBytes(32).toString('hex')
  const guard = (handler: (body: unknown) => Promise<unknown>): ApiHandler => async (body, request) => {
    if (!tokenMatches(request.headers.authorization, token)) return json(401, { name: 'UnauthorizedError', message: 'admin token missing or wrong' })
    try {
      return json(200, await handler(parseBody(body)))
    } catch (err) {
      return json(err instanceof DakError ? 400 : 500, err instanceof DakError ? err.toJSON() : { name: 'InternalError', message: String(err) })
    }
  }
  const server: HttpServer = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: MAX_ADMIN_BODY_BYTES,
    routes: {
      'POST /admin/invite': guard(async (body) => await actions.invite(inviteRequestOf(body))),
      'POST /admin/revoke': guard(async (body) => await actions.revoke(targetOf(body))),
      'POST /admin/wipe': guard(async (body) => await actions.wipe(wipeTargetOf(body))),
      'GET /admin/devices': guard(async () => await actions.devices()),
      'GET /admin/status': guard(async () => await actions.status()),
      'POST /admin/tls-renew': guard(async () => { await actions.renewTls(); return { renewed: true } }),
      'GET /admin/audit': guard(async () => await actions.audit.list()),
      'POST /admin/audit/verify': guard(async (body) => await actions.audit.verify(parseExpectedHead(field(body, 'expect')))),
      'GET /admin/authority/requests': guard(async () => await actions.authorityRequests()),
      'POST /admin/authority/import': guard(async (body) => await actions.authorityImport(parseSignedFile(JSON.stringify(body))))
    }
  })
  const file = join(dataDir, ADMIN_FILE)
  await writeFile(`${file}.tmp`, JSON.stringify({ url: server.url, token }), { mode: 0o600 })
  await rename(`${file}.tmp`, file)
  return {
    url: server.url,
    close: async () => {
      await rm(file, { force: true })
      await server.close()
    }
  }
}

function json (status: number, value: unknown): Awaited<ReturnType<ApiHandler>> {
  return { status, contentType: 'application/json', body: JSON.stringify(value) }
}

function tokenMatches (header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, '') ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function parseBody (body: Uint8Array): unknown {
  if (body.length === 0) return {}
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'))
  } catch {
    throw new InvalidArgumentError('admin request is not JSON')
  }
}

function field (body: unknown, name: string): unknown {
  return typeof body === 'object' && body != null && Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined
}

function text (body: unknown, name: string): string {
  const value = field(body, name)
  if (typeof value !== 'string' || value.length === 0) throw new InvalidArgumentError(`${name} is required`)
  return value
}

export function inviteRequestOf (body: unknown): InviteRequest {
  const hours = field(body, 'validityHours')
  if (hours !== undefined && typeof hours !== 'number') throw new InvalidArgumentError('validityHours must be a number')
  return { handle: text(body, 'handle'), displayName: text(body, 'displayName'), title: text(body, 'title'), ...(hours === undefined ? {} : { validityHours: hours }) }
}

export function targetOf (body: unknown): DeviceTarget {
  if (field(body, 'deviceKey') !== undefined) {
    try {
      return { deviceKey: fromHex(text(body, 'deviceKey')) }
    } catch (err) {
      throw err instanceof DakError ? err : new InvalidArgumentError('deviceKey must be hex')
    }
  }
  return { handle: text(body, 'handle') }
}

/** `dak-node wipe --handle H [--device HEX]`: the handle is required, so a device key alone cannot wipe someone else's device by a typo. */
export function wipeTargetOf (body: unknown): { handle: string, deviceKey?: Uint8Array } {
  const handle = text(body, 'handle')
  if (field(body, 'deviceKey') === undefined) return { handle }
  const target = targetOf({ deviceKey: field(body, 'deviceKey') })
  return { handle, ...('deviceKey' in target ? { deviceKey: target.deviceKey } : {}) }
}
