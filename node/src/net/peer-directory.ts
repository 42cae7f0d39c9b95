import { asDakError, bytesEqual, DakError, verifyCertificate } from '@dak/protocol'
import { TypedEventEmitter } from '@libp2p/interface'
import { certificateHandler, presentCertificate, type CertificateGate } from './cert-exchange.js'
import { CERT_PROTOCOL, CERTIFICATE_DEADLINE_HANDSHAKES, DEFAULT_CERTIFICATE_TIMEOUT_MS, DEFAULT_DENY_MS, DEFAULT_RECHECK_INTERVAL_MS, MAX_CERTIFICATE_TIMEOUT_MS } from './constants.js'
import { deviceKeyOf } from './device-key.js'
import { CertificateMismatchError, CertificateTimeoutError, InternalError, StreamEndedError } from './errors.js'
import type { DenyList } from './deny-list.js'
import type { VerifiedPeers } from './rpc.js'
import type { Certificate, VerifyContext } from '@dak/protocol'
import type { AbortOptions, Connection, Libp2pEvents, PeerId, Startable, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

/**
 * The certificate gate and the directory of verified peers. Every new
 * connection must complete the certificate exchange within the timeout or the
 * peer is hung up (all its connections) and denied for a while. Until then it
 * is not "verified", and the gossip gate and Dak protocols keep it out.
 */

/**
 * Whether a refusal is a verdict about the peer, which denies it for a while:
 * running out of time on a slow link is not, nor is the peer going away
 * mid-exchange (constants.ts, DEFAULT_DENY_MS).
 */
function isVerdict (error: DakError): boolean {
  return !(error instanceof CertificateTimeoutError) && !(error instanceof StreamEndedError)
}

export interface PeerDirectoryInit {
  /** This device's certificate; undefined until enrolled. */
  certificate?: Uint8Array
  /** Trust bundle, revocations and clock, read at each check so updates apply at once. */
  verifyContext: () => VerifyContext
  /** Shared with the connection gater, which refuses denied peers. */
  denyList: DenyList
  certificateTimeoutMs?: number
  denyMs?: number
  recheckIntervalMs?: number
}

export interface PeerDirectoryComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  events: TypedEventTarget<Libp2pEvents>
}

export interface VerifiedPeer {
  peer: PeerId
  certificate: Certificate
}

export interface RejectedPeer {
  peer: PeerId
  /** Serialisable reason: `name` is the typed error's name (ExpiredCertificateError, ...). */
  error: { name: string, message: string }
}

export interface PeerDirectoryEvents {
  'peer:verified': CustomEvent<VerifiedPeer>
  'peer:rejected': CustomEvent<RejectedPeer>
}

export class PeerDirectory extends TypedEventEmitter<PeerDirectoryEvents> implements Startable, VerifiedPeers, CertificateGate {
  readonly [Symbol.toStringTag] = 'dak/peer-directory'
  private readonly verified = new Map<string, VerifiedPeer>()
  private readonly waiters = new Map<string, Set<(ok: boolean) => void>>()
  /** One deadline per unverified connection, by connection id. */
  private readonly deadlines = new Map<string, ReturnType<typeof setTimeout>>()
  private recheckTimer?: ReturnType<typeof setInterval>
  private certificate?: Uint8Array
  private readonly timeoutMs: number

  constructor (private readonly components: PeerDirectoryComponents, private readonly init: PeerDirectoryInit) {
    super()
    this.certificate = init.certificate
    this.timeoutMs = init.certificateTimeoutMs ?? DEFAULT_CERTIFICATE_TIMEOUT_MS
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(CERT_PROTOCOL, certificateHandler(this, (connection) => this.deadlineOf(connection)), {
      runOnLimitedConnection: true,
      // one exchange per connection; a second concurrent one is a peer playing games
      maxInboundStreams: 2,
      maxOutboundStreams: 2
    })
    this.components.events.addEventListener('connection:open', this.onConnectionOpen)
    this.components.events.addEventListener('connection:close', this.onConnectionClose)
    this.components.events.addEventListener('peer:disconnect', this.onPeerDisconnect)
    this.recheckTimer = setInterval(() => { this.recheck() }, this.init.recheckIntervalMs ?? DEFAULT_RECHECK_INTERVAL_MS)
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(CERT_PROTOCOL)
    this.components.events.removeEventListener('connection:open', this.onConnectionOpen)
    this.components.events.removeEventListener('connection:close', this.onConnectionClose)
    this.components.events.removeEventListener('peer:disconnect', this.onPeerDisconnect)
    clearInterval(this.recheckTimer)
    for (const deadline of this.deadlines.values()) clearTimeout(deadline)
    this.deadlines.clear()
    for (const key of [...this.waiters.keys()]) this.settle(key, false)
    this.verified.clear()
  }

  /** The verified certificate of a connected peer. */
  get (peer: PeerId): Certificate | undefined {
    return this.verified.get(peer.toString())?.certificate
  }

  /** By peer id string, for gossipsub's hooks which only have that. */
  getById (peerId: string): Certificate | undefined {
    return this.verified.get(peerId)?.certificate
  }

  isVerified (peer: PeerId): boolean {
    return this.verified.has(peer.toString())
  }

  /** By peer id string, for gossipsub's score function which only has that. */
  isVerifiedId (peerId: string): boolean {
    return this.verified.has(peerId)
  }

  /** Refused by a verdict and still denied (by peer id string, for gossipsub's score function). */
  isRefusedId (peerId: string): boolean {
    return this.init.denyList.isDeniedId(peerId)
  }

  peers (): VerifiedPeer[] {
    return [...this.verified.values()]
  }

  async whenVerified (peer: PeerId, options?: AbortOptions): Promise<boolean> {
    if (this.isVerified(peer)) return true
    if (options?.signal?.aborted === true) return false
    const key = peer.toString()
    return new Promise<boolean>((resolve) => {
      const waiter = (ok: boolean): void => {
        options?.signal?.removeEventListener('abort', onAbort)
        resolve(ok)
      }
      const onAbort = (): void => {
        this.waiters.get(key)?.delete(waiter)
        if (this.waiters.get(key)?.size === 0) this.waiters.delete(key)
        resolve(false)
      }
      options?.signal?.addEventListener('abort', onAbort, { once: true })
      let set = this.waiters.get(key)
      if (set == null) this.waiters.set(key, set = new Set())
      set.add(waiter)
    })
  }

  ownCertificate (): Uint8Array | undefined {
    return this.certificate
  }

  /** Use a new own certificate (after enrolment or renewal) for connections from now on. */
  setCertificate (certificate: Uint8Array): void {
    this.certificate = certificate
  }

  accept (peer: PeerId, bytes: Uint8Array): Certificate {
    const certificate = verifyCertificate(bytes, this.init.verifyContext())
    const key = deviceKeyOf(peer)
    if (key == null || !bytesEqual(key, certificate.devicePublicKey)) {
      throw new CertificateMismatchError(`certificate of ${certificate.handle} is for another device than the one connected`)
    }
    // a peer that left while we were checking would stay listed forever
    if (this.components.connectionManager.getConnections(peer).length === 0) return certificate
    const id = peer.toString()
    const known = this.verified.get(id)
    this.verified.set(id, { peer, certificate })
    if (known == null || !bytesEqual(known.certificate.bytes, certificate.bytes)) {
      this.safeDispatchEvent('peer:verified', { detail: { peer, certificate } })
    }
    this.settle(id, true)
    return certificate
  }

  reject (peer: PeerId, error: DakError): void {
    const id = peer.toString()
    this.verified.delete(id)
    if (isVerdict(error)) this.init.denyList.deny(peer, this.init.denyMs ?? DEFAULT_DENY_MS)
    this.settle(id, false)
    this.safeDispatchEvent('peer:rejected', { detail: { peer, error: { name: error.name, message: error.message } } })
    // abort, not close: a graceful close would wait on the very peer we refuse
    for (const connection of this.components.connectionManager.getConnections(peer)) connection.abort(error)
  }

  /**
   * Check every verified peer again against the current trust bundle,
   * revocation lists and clock; call after accepting a new revocation list.
   * Peers that no longer pass are rejected (hung up) and returned.
   */
  recheck (): RejectedPeer[] {
    const context = this.init.verifyContext()
    const rejected: RejectedPeer[] = []
    for (const { peer, certificate } of [...this.verified.values()]) {
      try {
        verifyCertificate(certificate.bytes, context)
      } catch (err) {
        const error = asDakError(err, (message) => new InternalError(message))
        this.reject(peer, error)
        rejected.push({ peer, error: { name: error.name, message: error.message } })
      }
    }
    return rejected
  }

  /**
   * This connection's deadline: the configured one, or CERTIFICATE_DEADLINE_HANDSHAKES
   * times its handshake (socket open to now, the upgrade just done) when that is
   * longer, at most MAX_CERTIFICATE_TIMEOUT_MS (constants.ts says why).
   */
  deadlineOf (connection: Connection): number {
    const handshakeMs = Math.max(0, Date.now() - connection.timeline.open)
    return Math.max(this.timeoutMs, Math.min(MAX_CERTIFICATE_TIMEOUT_MS, handshakeMs * CERTIFICATE_DEADLINE_HANDSHAKES))
  }

  private readonly onConnectionOpen = (evt: CustomEvent<Connection>): void => {
    const connection = evt.detail
    const deadlineMs = this.deadlineOf(connection)
    if (!this.isVerified(connection.remotePeer)) {
      this.deadlines.set(connection.id, setTimeout(() => { this.onDeadline(connection, deadlineMs) }, deadlineMs))
    }
    if (connection.direction === 'outbound') {
      void presentCertificate(connection, this, deadlineMs)
    }
  }

  private onDeadline (connection: Connection, deadlineMs: number): void {
    this.deadlines.delete(connection.id)
    if (connection.status !== 'open' || this.isVerified(connection.remotePeer)) return
    this.reject(connection.remotePeer, new CertificateTimeoutError(`no valid certificate within ${deadlineMs} ms`))
  }

  private readonly onConnectionClose = (evt: CustomEvent<Connection>): void => {
    clearTimeout(this.deadlines.get(evt.detail.id))
    this.deadlines.delete(evt.detail.id)
  }

  private readonly onPeerDisconnect = (evt: CustomEvent<PeerId>): void => {
    const id = evt.detail.toString()
    this.verified.delete(id)
    this.settle(id, false)
  }

  private settle (id: string, ok: boolean): void {
    const set = this.waiters.get(id)
    if (set == null) return
    this.waiters.delete(id)
    for (const waiter of set) waiter(ok)
  }
}

export function peerDirectory (init: PeerDirectoryInit): (components: PeerDirectoryComponents) => PeerDirectory {
  return (components) => new PeerDirectory(components, init)
}
