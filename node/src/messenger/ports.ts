import type { Certificate, LogSource, OpenedEnvelope, SignedStoreReceipt } from '@dak/protocol'

/**
 * What the messenger needs from the network, and nothing more. The libp2p
 * adapters (mesh-adapter.ts, department client) implement these; keeping them
 * narrow is what lets the engine run the same in Node.js and the browser.
 */
export interface MeshPort {
  /** Publish on a topic; `reached` is how many peers it went to (0: nobody reachable). */
  publish: (topic: string, envelope: Uint8Array) => Promise<Published>
  subscribe: (topic: string) => void
  unsubscribe: (topic: string) => void
  /** Envelopes that passed the door checks (signature, certified sender) on subscribed topics. */
  onEnvelope: (handler: (envelope: OpenedEnvelope) => void) => () => void
  /** Certificates of connected, verified peers (the LAN part of the officers' directory). */
  verifiedPeers: () => Certificate[]
  onPeersChanged: (handler: () => void) => () => void
  /**
   * A verified peer announced topics it subscribes to (gossipsub's subscription
   * exchange: on every new connection and on each later subscribe:
   * 'announced'), grafted this device into its mesh for one ('peer-grafted':
   * it knows this device's subscription, so what it relays from then on comes
   * here; what it had before did not), or was grafted into this device's mesh
   * ('we-grafted'). Absent: the engine asks for carry at the meeting only.
   */
  onPeerSubscribed?: (handler: (peer: Certificate, topics: string[], how: PeerSubscription) => void) => () => void
  /** Ask a connected peer for a fresh key package (LAN, no department node). */
  requestKeyPackage: (deviceKey: Uint8Array) => Promise<Uint8Array>
  /** Take envelopes handed over directly by a peer (a retry gossip would refuse); throw to refuse one. */
  serveEnvelopes: (receive: (envelope: Uint8Array) => Promise<void>) => Promise<void>
  /** Serve key packages to peers that ask (the other side of requestKeyPackage). */
  serveKeyPackages: (make: () => Promise<Uint8Array>) => Promise<void>
  /** The certificate-log heads a connected peer trusts (unverified: the engine checks them). Absent: no exchange. */
  requestLogHeads?: (deviceKey: Uint8Array) => Promise<Uint8Array[]>
  /** Show peers that ask the heads this device trusts. */
  serveLogHeads?: (heads: () => Uint8Array[]) => Promise<void>
  /** Ask a connected peer for the sealed envelopes of a conversation we lack (carry.ts; /dak/carry/1.0.0). Absent: no carry. */
  requestCarry?: (deviceKey: Uint8Array, request: Uint8Array) => Promise<Uint8Array>
  /** Answer peers' carry requests; `from` is the asker's verified certificate, never a claim from the request. */
  serveCarry?: (answer: (request: Uint8Array, from: Certificate) => Promise<Uint8Array>) => Promise<void>
}

export interface Published {
  reached: number
  /**
   * Peer ids gossip handed it to. A department node among them stores it
   * (bootstrap store-forward.ts), which is what lets a delivery receipt skip
   * its separate deposit (delivery.ts).
   */
  gossipedTo: string[]
}

/** `ack`: the sequencer's encoded CommitAck of the commit that took the epoch (ours, or the winner). */
export type SubmitOutcome = { accepted: true, ack: Uint8Array } | { accepted: false, winner: Uint8Array, ack: Uint8Array }

/** What a committer tells the sequencer beside its commit (rpc.proto SubmitCommit). */
export interface CommitSubmission {
  leavingLeaves?: number[]
  welcomeHash?: Uint8Array
  registration?: Uint8Array
}

export interface QueryPage {
  entries: Array<{ sequence: number, envelope: Uint8Array }>
  nextAfterSequence: number
  hasMore: boolean
}

/** One reachable department node. */
/** How a peer's interest in topics became known (MeshPort.onPeerSubscribed). */
export type PeerSubscription = 'announced' | 'peer-grafted' | 'we-grafted'

export interface DepartmentPort {
  /** Its peer id: the sequencer name of groups it orders. */
  readonly id: string
  /** Replace this device's registered topics; resolves with how many the node keeps. */
  registerTopics: (topics: string[]) => Promise<number>
  deposit: (envelope: Uint8Array) => Promise<SignedStoreReceipt>
  query: (topic: string, afterSequence: number, limit: number) => Promise<QueryPage>
  /** Resolves with the stock the node now holds for this device. */
  uploadKeyPackages: (packages: Uint8Array[], lastResort?: Uint8Array) => Promise<number>
  /**
   * References (hex SHA-256 of the public bytes) of this device's one-time
   * packages the node still holds; `complete` is false when it holds more than it listed.
   */
  heldKeyPackages: () => Promise<{ refs: string[], complete: boolean }>
  /** One key package per device of the officer, each used once. */
  fetchKeyPackages: (handle: string) => Promise<Uint8Array[]>
  submitCommit: (groupId: Uint8Array, epoch: bigint, envelope: Uint8Array, submission?: CommitSubmission) => Promise<SubmitOutcome>
  /** The signed revocation lists in force at the node. */
  revocations: () => Promise<Uint8Array[]>
  /** Certificates of the department's enrolled officers (encoded). */
  directory: () => Promise<Uint8Array[]>
  /** Its peer key: what its certificate log's heads are signed with. */
  readonly nodeKey?: Uint8Array
  /** Its certificate transparency log (heads, inclusion and consistency proofs; the engine verifies them). */
  log?: LogSource
  /** The department's settings for its devices (issue 16: the edit window). Absent: a node that does not serve them. */
  settings?: () => Promise<DepartmentSettings>
  /** Issue 16: a one-time invite for another device of this device's officer (dak:invite/…). Absent: a node that does not link devices. */
  linkInvite?: () => Promise<string>
}

/** What a department tells its devices to do alike (issue 16). */
export interface DepartmentSettings {
  /** How long after sending a message may be edited or deleted, in ms. */
  editWindowMs: number
  /** Issue 14: how long a PIN-locked browser stays open without use, in ms; absent: the node does not set it. */
  lockAfterMs?: number
  /** Issue 15: incoming files up to this many bytes are fetched without asking (0: never); absent: the node does not set it. */
  autoDownloadBytes?: number
  /** Issue 14: every browser must have a PIN lock, and `lockAfterMs` is the longest an officer may choose; absent: an older node (no policy). */
  requirePin?: boolean
}

/** The department nodes reachable right now (empty when offline or LAN-only). */
export interface DepartmentsPort {
  connected: () => DepartmentPort[]
  onChange: (handler: () => void) => () => void
}
