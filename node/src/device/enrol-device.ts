import { decodeInvite, generateMlsSignatureKeyPair, generateSigningKeyPair, InvalidInviteError, loadSuite, parseInviteCode, toHex, verifyRevocationList, TrustStore, type Certificate } from '@dak/protocol'
import { enrolOverHttp, fetchNodeInfo, type NodeInfo } from '../department/http.js'
import { openDeviceStore, type LevelDatabase } from '../storage/index.js'

export interface EnrolOptions {
  db: LevelDatabase
  /** The device's storage key: the store is sealed under it (docs/storage.md, "At rest"). */
  storageKey?: Uint8Array
  /** An invite URL (https://node/#invite=..., dak:invite/...) or a typed code (DAK-XXXX-...). */
  invite: string
  /** The department node's web address; taken from the invite URL when it is an http(s) link. */
  nodeUrl?: string
  fetch?: typeof globalThis.fetch
}

export interface Enrolled {
  certificate: Certificate
  /** Where the department node can be reached (store it: it is the device's bootstrap list). */
  node: NodeInfo
  nodeUrl: string
}

function secretAndUrl (invite: string, nodeUrl: string | undefined): { secret: Uint8Array, nodeUrl: string } {
  const text = invite.trim()
  if (/^(https?:|dak:)/i.test(text) || text.includes('#invite=')) {
    const ticket = decodeInvite(text)
    const fromLink = /^https?:/i.test(text) ? new URL(text).origin : undefined
    const url = nodeUrl ?? fromLink
    if (url == null) throw new InvalidInviteError('this invite does not say where the department node is: give its web address too')
    return { secret: ticket.secret, nodeUrl: url }
  }
  if (nodeUrl == null) throw new InvalidInviteError('a typed invite code needs the department node\'s web address')
  return { secret: parseInviteCode(text), nodeUrl }
}

/**
 * Enrol this device: make its device key and MLS signature key here (they
 * never leave it), present the invite and the public keys to the department
 * node, and keep the certificate, trust bundle and revocation lists it answers.
 */
export async function enrolDevice (options: EnrolOptions): Promise<Enrolled> {
  const { secret, nodeUrl } = secretAndUrl(options.invite, options.nodeUrl)
  const device = generateSigningKeyPair()
  const mls = await generateMlsSignatureKeyPair(await loadSuite())
  const http = options.fetch != null ? { fetch: options.fetch } : {}
  const enrolment = await enrolOverHttp(nodeUrl, secret, device, mls.publicKey, http)
  const node = await fetchNodeInfo(nodeUrl, http)
  const trust = TrustStore.decode(enrolment.trustBundle)
  const store = await openDeviceStore(options.db, options.storageKey !== undefined ? { storageKey: options.storageKey } : {})
  try {
    await store.commit([
      { type: 'identity', set: { deviceSeed: device.privateKey, mlsSignatureKey: mls, certificate: enrolment.certificate.bytes, trustBundle: enrolment.trustBundle } },
      ...enrolment.revocationLists.flatMap((list) => {
        try {
          return [{ type: 'revocation-list' as const, authority: toHex(verifyRevocationList(list, trust).authorityPublicKey), list }]
        } catch {
          return []
        }
      })
    ])
  } finally {
    await store.close()
  }
  return { certificate: enrolment.certificate, node, nodeUrl }
}
