import { signWipeReport, verifyWipeOrderFor, type Certificate, type SigningKeyPair, type TrustStore, type WipeOrder } from '@dak/protocol'
import type { Departments } from '../department/departments.js'
import { fetchWipeOrder, sendWipeReport } from '../department/http.js'
import type { DakLibp2p } from '../net/libp2p-common.js'

/**
 * How a device learns that its department ordered it wiped (issue 14 part 6).
 * It asks its department nodes' web addresses for an order naming its device
 * key — when it opens, each time a department node connects (or hangs up), and when a node
 * refuses it (a revoked device is hung up on by the gate, but the HTTP face
 * still answers, as for the revocation lists: own-revocation.ts). Only an
 * order signed by the authority that certified this device, for this device
 * (verifyWipeOrderFor), is obeyed; anything else is reported and ignored, so
 * neither a node nor a network attacker can wipe a device.
 *
 * Obeying: sign the report with the device key while the key still exists,
 * send it (bounded) to the nodes, then hand over to `obey`, which stops the
 * device and erases its store and keys. A report that could not be sent goes
 * to `obey` too, for the platform to keep (it holds no secret) and send later.
 */

/** An order fetch that has not answered by then is given up; the next trigger asks again. */
const FETCH_TIMEOUT_MS = 10_000
/** How long the report may take before the wipe goes ahead without it (a lost device must not wait long). */
const REPORT_TIMEOUT_MS = 5_000
/** Checks after a refusal are at most this often (a peer refusing us in a loop must not make us fetch in a loop). */
const MIN_CHECK_INTERVAL_MS = 10_000

export interface WipeNotice {
  /** The authority's department, as the trust bundle names it. */
  department: string
  /** When the order was issued (ms, the authority's clock). */
  orderedAt: number
  /** When this device erased itself. */
  wipedAt: number
  /** Whether a department node took the report. */
  reported: boolean
}

export interface WatchWipeOrderInit {
  certificate: Certificate
  trust: TrustStore
  deviceKeys: SigningKeyPair
  departments: Departments
  libp2p: DakLibp2p
  nodeUrls: string[]
  /** Stop the device, erase it, tell the user; called at most once. `report` is set when no node took it. */
  obey: (order: WipeOrder, notice: WipeNotice, unsentReport?: Uint8Array) => Promise<void>
  fetch?: typeof globalThis.fetch
  now?: () => number
  /** A failed fetch or a refused order, for the log: it never wipes anything. */
  onError?: (err: unknown) => void
}

export interface WipeOrderWatch {
  /** Ask the nodes now (deduplicated while one check runs); resolves once done, obeyed included. */
  check: () => Promise<void>
  /** Resolves when no check is running (one in flight is waited for, obeying included). */
  idle: () => Promise<void>
  stop: () => void
}

export function watchWipeOrder (init: WatchWipeOrderInit): WipeOrderWatch {
  const clock = init.now ?? Date.now
  const fetchOptions = init.fetch != null ? { fetch: init.fetch } : {}
  let running: Promise<void> | undefined
  /** The last check a hang-up or refusal started: those are rate limited, a new connection is not. */
  let lastCheck = -Infinity
  let stopped = false
  let obeyed = false

  const report = async (bytes: Uint8Array): Promise<boolean> => {
    const sent = await Promise.allSettled(init.nodeUrls.map(async url => { await sendWipeReport(url, bytes, { signal: AbortSignal.timeout(REPORT_TIMEOUT_MS), ...fetchOptions }) }))
    for (const result of sent) if (result.status === 'rejected') init.onError?.(result.reason)
    return sent.some(r => r.status === 'fulfilled')
  }

  const obey = async (order: WipeOrder): Promise<void> => {
    if (obeyed) return
    obeyed = true
    stopped = true
    const wipedAt = clock()
    // signed first, while the device key still exists; sent before anything is erased
    const signed = signWipeReport(init.deviceKeys, order.bytes, wipedAt)
    const reported = await report(signed)
    const department = init.trust.authorityFor(order.authorityPublicKey)?.name ?? init.certificate.department
    await init.obey(order, { department, orderedAt: order.issuedAt, wipedAt, reported }, reported ? undefined : signed)
  }

  const fetchAll = async (): Promise<void> => {
    const answers = await Promise.allSettled(init.nodeUrls.map(async url => await fetchWipeOrder(url, init.certificate.devicePublicKey, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), ...fetchOptions })))
    for (const answer of answers) {
      if (answer.status === 'rejected') { init.onError?.(answer.reason); continue }
      if (answer.value == null) continue
      let order: WipeOrder
      try {
        order = verifyWipeOrderFor(answer.value, { certificate: init.certificate, trust: init.trust })
      } catch (err) {
        init.onError?.(err) // not from our authority, or not for us: proves nothing, changes nothing
        continue
      }
      await obey(order)
      return
    }
  }

  const check = async (): Promise<void> => {
    if (stopped) return
    if (running != null) return await running
    running = fetchAll().finally(() => { running = undefined })
    await running
  }

  /**
   * A hang-up or refusal asks at most every MIN_CHECK_INTERVAL_MS, but is never
   * dropped: one that comes too soon, or while a check runs (which may have asked
   * before the order existed), is asked once the interval or that check is over.
   * A node revokes a device as it orders the wipe; its hang-up may be the last
   * thing the device hears from it.
   */
  let deferred: ReturnType<typeof setTimeout> | undefined
  let chained = false
  const triggered = (): void => {
    if (stopped || deferred != null || chained) return
    if (running != null) {
      chained = true
      const after = (): void => { chained = false; triggered() }
      void running.then(after, after)
      return
    }
    const wait = lastCheck + MIN_CHECK_INTERVAL_MS - clock()
    if (wait > 0) {
      deferred = setTimeout(() => { deferred = undefined; triggered() }, wait)
      return
    }
    lastCheck = clock()
    void check()
  }

  let connected = new Set(init.departments.connected().map(d => d.id))
  const offDepartments = init.departments.onChange(() => {
    const current = new Set(init.departments.connected().map(d => d.id))
    const joined = [...current].some(id => !connected.has(id))
    // a node that hangs up on us may have just revoked us, and the order may come with it
    const lost = [...connected].some(id => !current.has(id))
    connected = current
    if (joined) void check()
    else if (lost) triggered()
  })
  const onRejected = (evt: CustomEvent<{ error: { name: string } }>): void => {
    if (evt.detail.error.name === 'CertificateRefusedError') triggered()
  }
  const directory = init.libp2p.services.directory
  directory.addEventListener('peer:rejected', onRejected as EventListener)

  return {
    check,
    idle: async () => { await running },
    stop () {
      stopped = true
      clearTimeout(deferred)
      offDepartments()
      directory.removeEventListener('peer:rejected', onRejected as EventListener)
    }
  }
}
