import { decodeBounded, ED25519_PUBLIC_KEY_BYTES, MalformedInputError } from '@dak/protocol'
import { DirectoryPage, DirectoryQuery, MAX_QUERY_BYTES, RevocationLists } from '@dak/protocol/department'
import type { RequestHandler } from '@dak/node/net'
import { peerCertificate, type ProtocolDeps } from './deps.js'
import { MAX_DIRECTORY_PAGE, PROTOCOL_LIMITS } from './ids.js'

/** Devices read from the registry per step while filling a page (revoked and expired ones are skipped). */
const SCAN_BATCH = 64

/** The signed revocation lists in force here, this authority's first, as many as fit one answer. */
export function revocationsHandler (deps: ProtocolDeps): RequestHandler {
  return async (_bytes, context) => {
    peerCertificate(deps, context)
    const budget = PROTOCOL_LIMITS.revocations.maxResponseBytes - 64
    const lists: Uint8Array[] = []
    let size = 0
    for (const list of await deps.revocationLists()) {
      if (size + list.length + 8 > budget || lists.length === 256) break
      lists.push(list)
      size += list.length + 8
    }
    return RevocationLists.encode({ lists })
  }
}

/** The officers' directory: certificates of this department's enrolled, unrevoked devices, by device key, paged. */
export function directoryHandler (deps: ProtocolDeps): RequestHandler {
  return async (bytes, context) => {
    peerCertificate(deps, context)
    const query = decodeBounded(DirectoryQuery, bytes, PROTOCOL_LIMITS.directory.maxRequestBytes, 'directory query')
    if (query.afterDeviceKey.length !== 0 && query.afterDeviceKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new MalformedInputError('directory cursor is a device key')
    const limit = query.limit === 0 ? MAX_DIRECTORY_PAGE : Math.min(query.limit, MAX_DIRECTORY_PAGE)
    const now = deps.now()
    const certificates: Uint8Array[] = []
    let cursor = query.afterDeviceKey
    let size = 0
    let hasMore = false
    scan: for (;;) {
      const rows = await deps.listing.page(cursor, SCAN_BATCH)
      for (const row of rows) {
        if (certificates.length === limit || size + row.certificate.length > MAX_QUERY_BYTES) {
          hasMore = true
          break scan
        }
        cursor = row.deviceKey
        if (row.revokedAt != null || row.notAfter <= now) continue
        certificates.push(row.certificate)
        size += row.certificate.length
      }
      if (rows.length < SCAN_BATCH) break
    }
    deps.count('directory')
    return DirectoryPage.encode({ certificates, nextAfterDeviceKey: cursor, hasMore })
  }
}
