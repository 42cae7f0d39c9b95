import {
  bytesEqual, checkEnrolmentAgainstInvite, decodeInvite, fromHex, generateMlsSignatureKeyPair, generateSigningKeyPair, InvalidArgumentError, InvalidInviteError,
  loadSuite, parseInviteCode, toHex, TrustBundleMismatchError, verifyRevocationList, TrustStore, type Certificate, type InviteTicket, type SigningKeyPair
} from '@dak/protocol'
import { enrolOverHttp, fetchNodeInfo, type Enrolment, type NodeInfo } from '../department/http.js'
import { openDeviceStore, type LevelDatabase } from '../storage/index.js'
import { InsecureEnrolmentError } from './enrol-errors.js'
import { EnrolmentPendingError } from '@dak/protocol/department'

export interface EnrolOptions {
  db: LevelDatabase
  /** The device's storage key: the store is sealed under it (docs/storage.md, "At rest"). */
  storageKey?: Uint8Array
  /** An invite URL (https://node/#invite=..., dak:invite/...) or a typed code (DAK-XXXX-...). */
  invite: string
  /** The department node's web address; taken from the invite URL when it is an http(s) link. */
  nodeUrl?: string
  fetch?: typeof globalThis.fetch
  /**
   * The department's authority may sign certificates offline (docs/department-node.md,
   * "Offline authority"): the node then records the request and answers
   * EnrolmentPendingError. With this set, the device asks again every
   * `intervalMs` with the same keys and invite, up to `timeoutMs`, and tells
   * `onPending` the first time. Without it, the pending error is thrown.
   */
  waitForSignature?: { timeoutMs: number, intervalMs: number, onPending?: (err: EnrolmentPendingError) => void, signal?: AbortSignal }
}

export interface Enrolled {
  certificate: Certificate
  /** Where the department node can be reached (store it: it is the device's bootstrap list). */
  node: NodeInfo
  nodeUrl: string
}

interface Redeem {
  secret: Uint8Array
  nodeUrl: string
  /** The whole ticket (link or QR): it pins the department's authority. A typed code has only the secret. */
  ticket?: InviteTicket
}

function redeemOf (invite: string, nodeUrl: string | undefined): Redeem {
  const text = invite.trim()
  if (/^(https?:|dak:)/i.test(text) || text.includes('#invite=')) {
    const ticket = decodeInvite(text)
    const fromLink = /^https?:/i.test(text) ? new URL(text).origin : undefined
    const url = nodeUrl ?? fromLink
    if (url == null) throw new InvalidInviteError('this invite does not say where the department node is: give its web address too')
    return { secret: ticket.secret, nodeUrl: url, ticket }
  }
  if (nodeUrl == null) throw new InvalidInviteError('a typed invite code needs the department node\'s web address')
  return { secret: parseInviteCode(text), nodeUrl }
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves this machine. */
function isLoopback (hostname: string): boolean {
  const host = hostname.toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
}

/** https://, or http:// to this machine only; anything else is refused before the invite's secret is sent. */
export function checkEnrolmentUrl (nodeUrl: string): void {
  let url: URL
  try {
    url = new URL(nodeUrl)
  } catch {
    throw new InvalidArgumentError(`the department node's address "${nodeUrl.slice(0, 80)}" is not a web address`)
  }
  if (url.protocol === 'https:') return
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return
  if (url.protocol === 'http:') {
    throw new InsecureEnrolmentError(`enrolling over plain http:// with ${url.host} is refused: anyone on the network could read the invite and swap the department's answer. Ask your department IT for the https:// address of the department node`)
  }
  throw new InvalidArgumentError(`the department node's address must start with https:// (it starts with ${url.protocol}//)`)
}

/** The node info the device will keep must be the invite's node: its authority, and (when the invite names peer ids) one of its peers. */
function checkNodeAgainstInvite (node: NodeInfo, ticket: InviteTicket): void {
  if (node.department !== ticket.department || !bytesEqual(fromHex(node.authorityPublicKey), ticket.authorityPublicKey)) {
    throw new TrustBundleMismatchError(`the department node answering is not the invite's (department ${node.department}, authority ${node.authorityPublicKey.slice(0, 16)}…): someone on the network may be altering the connection. Nothing was sent; ask your department IT for the https:// address`)
  }
  const peers = ticket.nodeAddrs.map(addr => /\/p2p\/([^/]+)/.exec(addr)?.[1]).filter((id): id is string => id != null)
  if (peers.length > 0 && !peers.includes(node.peerId)) {
    throw new TrustBundleMismatchError(`the department node answering (peer ${node.peerId.slice(0, 16)}…) is not one the invite names: someone on the network may be altering the connection. Nothing was sent; ask your department IT for the https:// address`)
  }
}

interface Checked {
  enrolment: Enrolment
  trust: TrustStore
  device: SigningKeyPair
  mls: { publicKey: Uint8Array, privateKey: Uint8Array }
  node: NodeInfo
  nodeUrl: string
}

/** Everything that talks to the node and judges its answers; nothing is stored here. */
async function enrolAndCheck (options: EnrolOptions): Promise<Checked> {
  const { secret, nodeUrl, ticket } = redeemOf(options.invite, options.nodeUrl)
  checkEnrolmentUrl(nodeUrl)
  const http = options.fetch != null ? { fetch: options.fetch } : {}
  // Asked first, so a node that is plainly not the invite's never sees the secret.
  const node = await fetchNodeInfo(nodeUrl, http)
  if (ticket != null) checkNodeAgainstInvite(node, ticket)
  const device = generateSigningKeyPair()
  const mls = await generateMlsSignatureKeyPair(await loadSuite())
  // Decodes the bundle (one root per department), verifies the certificate against it and checks it binds these keys.
  const enrolment = await untilSigned(options.waitForSignature, async () => await enrolOverHttp(nodeUrl, secret, device, mls.publicKey, http))
  const trust = TrustStore.decode(enrolment.trustBundle)
  if (ticket != null) checkEnrolmentAgainstInvite(trust, enrolment.certificate, ticket)
  return { enrolment, trust, device, mls, node, nodeUrl }
}

/** Ask until the answer is not "pending", within the wait's deadline; the keys stay the same, so the signed certificate fits. */
async function untilSigned<T> (wait: EnrolOptions['waitForSignature'], ask: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + (wait?.timeoutMs ?? 0)
  let told = false
  for (;;) {
    try {
      return await ask()
    } catch (err) {
      if (!(err instanceof EnrolmentPendingError) || wait == null || Date.now() + wait.intervalMs > deadline || wait.signal?.aborted === true) throw err
      if (!told) wait.onPending?.(err)
      told = true
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait.intervalMs)
      wait.signal?.addEventListener('abort', () => { clearTimeout(timer); resolve() }, { once: true })
    })
  }
}

/**
 * Enrol this device: make its device key and MLS signature key here (they
 * never leave it), present the invite and the public keys to the department
 * node, and keep the certificate, trust bundle and revocation lists it answers.
 *
 * A network attacker must not be able to make the device trust anyone else:
 * enrolment goes over https:// (plain http:// only to loopback), an invite
 * link or QR code pins the department's authority key and the node's peer
 * ids, and an answer that disagrees with it (another authority for the
 * department, a second unendorsed one, a certificate the invite's authority
 * did not sign for this device's keys) is refused with nothing stored.
 */
export async function enrolDevice (options: EnrolOptions): Promise<Enrolled> {
  let checked: Checked
  try {
    checked = await enrolAndCheck(options)
  } catch (err) {
    // The database was handed over (the store closes it on success): close it here too, so a retry can open it.
    try {
      await options.db.close()
    } catch (closeError) {
      throw new AggregateError([err, closeError], `${(err as Error).message} (closing the device database failed too)`)
    }
    throw err
  }
  const { enrolment, trust, device, mls, node, nodeUrl } = checked
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
