import { bytesEqual, verifyRevocationList, type Certificate, type TrustStore, type VerifiedRevocationList } from '@dak/protocol'
import type { Departments } from '../department/departments.js'
import { fetchRevocationLists } from '../department/http.js'
import type { RevocationNotice } from '../messenger/closed.js'
import type { DakMessenger } from '../messenger/messenger.js'
import type { DakLibp2p } from '../net/libp2p-common.js'
import type { DeviceStore, OwnRevocation } from '../storage/index.js'

/**
 * How a device learns that its own certificate was revoked. Only a revocation
 * list signed by its own department's authority counts: a refusal by a node
 * (the certificate gate hanging up) is only the cue to go and fetch the lists,
 * because a network attacker can fake a refusal but not a signature. The lists
 * come from the department nodes still connected (libp2p) and from the nodes'
 * web addresses (HTTP), the one way in left to a device the gate refuses.
 */

/** Checks after a refusal are at most this often: a peer that refuses us in a loop must not make us fetch in a loop. */
const MIN_CHECK_INTERVAL_MS = 10_000
/** An HTTP fetch of the lists that has not answered by then is given up (the device stays as it was). */
const FETCH_TIMEOUT_MS = 10_000

/** The notice a verified list gives about `certificate`'s device, if it names it. */
export function noticeFrom (list: VerifiedRevocationList, certificate: Certificate, trust: TrustStore): RevocationNotice | undefined {
  if (!bytesEqual(list.authorityPublicKey, certificate.authorityPublicKey)) return undefined
  if (!list.revokedDeviceKeys.some(key => bytesEqual(key, certificate.devicePublicKey))) return undefined
  return { at: list.issuedAt, department: trust.authorityFor(list.authorityPublicKey)?.name ?? certificate.department }
}

/**
 * What the store says about this device's revocation: the notice recorded when
 * it was learnt, else one derived from a stored list (a list persisted by a run
 * that stopped before it recorded the notice). Lists that do not verify are ignored.
 */
export function storedNotice (recorded: OwnRevocation | undefined, lists: Uint8Array[], certificate: Certificate, trust: TrustStore): RevocationNotice | undefined {
  if (recorded != null) return recorded
  for (const bytes of lists) {
    try {
      const notice = noticeFrom(verifyRevocationList(bytes, trust), certificate, trust)
      if (notice != null) return notice
    } catch {
      // not from an authority we trust, or damaged: it says nothing about us
    }
  }
  return undefined
}

export interface WatchOwnRevocationInit {
  store: DeviceStore
  trust: TrustStore
  certificate: Certificate
  messenger: DakMessenger
  departments: Departments
  libp2p: DakLibp2p
  /** The department nodes' web addresses (DIR/config.json's nodeUrl; the page's origin in a browser). */
  nodeUrls: string[]
  /** Hand a list to the device's revocation state (persist, recheck peers); the caller ignores stale ones. */
  adopt: (bytes: Uint8Array) => void
  fetch?: typeof globalThis.fetch
  now?: () => number
  /** A failed fetch, for the log: it never changes what the device believes. */
  onError?: (err: unknown) => void
}

export interface OwnRevocationWatch {
  /** Look at a list the device has just verified (from a control topic, a pull): is this device on it? */
  consider: (list: VerifiedRevocationList) => void
  /** Fetch the lists now and look (deduplicated while one runs). */
  check: () => Promise<void>
  stop: () => void
}

/** Watch for this device's own revocation; every change is refused from the moment it is learnt. */
export function watchOwnRevocation (init: WatchOwnRevocationInit): OwnRevocationWatch {
  const clock = init.now ?? Date.now
  let running: Promise<void> | undefined
  let lastCheck = -Infinity
  let stopped = false

  const learnt = (notice: RevocationNotice): void => {
    if (stopped) return
    init.messenger.markRevoked(notice)
    void (async () => {
      if ((await init.store.identity.get()).revoked == null) await init.store.identity.put({ revoked: notice })
    })().catch((err: unknown) => { init.onError?.(err) })
  }

  const consider = (list: VerifiedRevocationList): void => {
    const notice = noticeFrom(list, init.certificate, init.trust)
    if (notice != null) learnt(notice)
  }

  const look = (bytes: Uint8Array): void => {
    let list: VerifiedRevocationList
    try {
      list = verifyRevocationList(bytes, init.trust)
    } catch {
      return // not signed by an authority we trust: proves nothing, and is not adopted either
    }
    init.adopt(bytes)
    consider(list)
  }

  const fetchAll = async (): Promise<void> => {
    const sources: Array<Promise<Uint8Array[]>> = [
      ...init.departments.connected().map(async department => await department.revocations()),
      ...init.nodeUrls.map(async url => await fetchRevocationLists(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), ...(init.fetch != null ? { fetch: init.fetch } : {}) }))
    ]
    for (const result of await Promise.allSettled(sources)) {
      if (result.status === 'fulfilled') for (const bytes of result.value) look(bytes)
      else init.onError?.(result.reason)
    }
  }

  const check = async (): Promise<void> => {
    if (stopped) return
    if (running != null) return await running
    lastCheck = clock()
    running = fetchAll().finally(() => { running = undefined })
    init.messenger.checkingRevocation(running)
    await running
  }

  // A node that hangs up on our certificate may have revoked it: go and see, from a source that signs its answer.
  const onRejected = (evt: CustomEvent<{ error: { name: string } }>): void => {
    if (evt.detail.error.name !== 'CertificateRefusedError') return
    if (running == null && clock() - lastCheck < MIN_CHECK_INTERVAL_MS) return
    void check()
  }
  const directory = init.libp2p.services.directory
  directory.addEventListener('peer:rejected', onRejected as EventListener)
  // A department node that hangs up on us may have just revoked us (it hangs up, then publishes the list we no longer get).
  let connected = new Set(init.departments.connected().map(d => d.id))
  const offDepartments = init.departments.onChange(() => {
    const current = new Set(init.departments.connected().map(d => d.id))
    const lost = [...connected].some(id => !current.has(id))
    connected = current
    if (lost && running == null && clock() - lastCheck >= MIN_CHECK_INTERVAL_MS) void check()
  })

  return {
    consider,
    check,
    stop () {
      stopped = true
      offDepartments()
      directory.removeEventListener('peer:rejected', onRejected as EventListener)
    }
  }
}
