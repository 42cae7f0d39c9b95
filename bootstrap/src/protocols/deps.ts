import { bytesEqual, type Certificate } from '@dak/protocol'
import { PeerNotVerifiedError, type RequestContext } from '@dak/node/net'
import type { KeyPackageDirectory } from '../keypackages/index.js'
import type { CommitSequencer } from '../sequencer/index.js'
import type { EnvelopeStore, TopicRegistry } from '../store/index.js'
import type { DeviceListing } from '../node/device-list.js'
import type { CertificateLog } from '../transparency/certificate-log.js'
import { NotThisDepartmentError } from './errors.js'
import type { PeerId } from '@libp2p/interface'

/** What the department node's protocol handlers need, and nothing else. */
export interface ProtocolDeps {
  store: EnvelopeStore
  topics: TopicRegistry
  sequencer: CommitSequencer
  keyPackages: KeyPackageDirectory
  listing: DeviceListing
  /** The append-only log of every certificate and revocation list the authority issued. */
  log: CertificateLog
  /** This node's department and authority: who counts as "our own" device. */
  department: string
  authorityPublicKey: Uint8Array
  /** The verified certificate of a connected peer (the certificate gate's). */
  certificateOf: (peer: PeerId) => Certificate | undefined
  /** A certified, unrevoked device whose envelopes this node accepts. */
  isKnownDevice: (deviceKey: Uint8Array) => boolean
  revocationLists: () => Promise<Uint8Array[]>
  /** What the department tells its devices to do alike (issue 16): the edit window. */
  settings: () => { editWindowMs: number, lockAfterMs: number, autoDownloadBytes: number, requirePin: boolean }
  now: () => number
  /** Issue 16: a short-lived one-time invite for another device of this certificate's officer; its QR payload (dak:invite/…). */
  linkInvite: (officer: Certificate) => Promise<string>
  /** Device keys (hex) enrolled here under this officer's handle (none for another department's): a member may remove its own other devices. */
  officerDevices: (officer: Certificate) => Promise<string[]>
  /** A device's registration replaced `previous` with `current`: keep (subscribe to) what is wanted now. */
  onRegistered: (previous: string[], current: string[], deviceKey: Uint8Array) => Promise<void>
  /** Gossip a stored envelope to the members online now; best effort, never throws. */
  publish: (topic: string, envelope: Uint8Array) => void
  count: (event: ProtocolEvent) => void
}

export type ProtocolEvent = 'deposit' | 'duplicate' | 'query' | 'registration' | 'keyPackagesUploaded' | 'keyPackagesFetched' | 'keyPackagesLastResortOnly' | 'commitAccepted' | 'commitRejected' | 'commitRefused' | 'directory' | 'error'

/** The connection's verified certificate; the rpc layer admitted only verified peers, but one may have left since. */
export function peerCertificate (deps: ProtocolDeps, context: RequestContext): Certificate {
  const certificate = deps.certificateOf(context.peer)
  if (certificate == null) throw new PeerNotVerifiedError('this protocol is for peers with a valid certificate')
  return certificate
}

/** As peerCertificate, and the device must be one of this department's (certified by this node's authority). */
export function ownDevice (deps: ProtocolDeps, context: RequestContext): Certificate {
  const certificate = peerCertificate(deps, context)
  if (certificate.department !== deps.department || !bytesEqual(certificate.authorityPublicKey, deps.authorityPublicKey)) {
    throw new NotThisDepartmentError(`this node keeps the store of ${deps.department} devices only`)
  }
  return certificate
}
