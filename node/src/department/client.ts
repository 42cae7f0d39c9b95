import {
  bytesEqual, decodeConsistencyAnswer, fromUtf8, decodeInclusionAnswer, encodeLogRequest, InvalidArgumentError, MalformedInputError, messageId, mlsHash, openCommitAck, openEnvelope, rpc as wire, signRegisterTopics, verifyStoreReceipt,
  type LogRequest, type LogSource, type SignedStoreReceipt, type SigningKeyPair
} from '@dak/protocol'
import { createRpc, type Rpc, type RpcNode, type VerifiedPeers } from '../net/rpc.js'
import { deviceKeyOf } from '../net/device-key.js'
import {
  checkQueryPage, decodeDirectoryPage, decodeHeldKeyPackages, decodeRevocationLists, decodeSettings, DEPARTMENT_PROTOCOLS, DirectoryQuery, encodeRequest, MAX_DIRECTORY_PAGES,
  MAX_KEY_PACKAGE_BYTES, MAX_KEY_PACKAGES_PER_UPLOAD, MAX_UPLOAD_REQUEST_BYTES, nextDirectoryCursor, PROTOCOL_LIMITS, type DepartmentProtocol, type DirectoryPage, type ResponseCase
} from '@dak/protocol/department'
import { decodeResponse } from './wire.js'
import { departmentError } from './errors.js'
import type { AbortOptions, PeerId } from '@libp2p/interface'

/**
 * The client end of one department node's protocols, for the messenger
 * (it satisfies messenger/ports.ts' DepartmentPort). Every answer is checked
 * before it is believed: receipts must be signed by this node's key (its peer
 * key) for this envelope, pages must move forward, sizes are bounded.
 */

export interface DepartmentClientInit {
  /** The node to talk to: a connected, verified peer (see departmentNodePeers). */
  node: PeerId
  /** This device's key: it signs topic registrations (the node checks it is the connection's key). */
  deviceKeys: SigningKeyPair
  /** An Rpc over the device's libp2p node, or the node itself (an Rpc is made over its certificate gate). */
  rpc?: Rpc
  libp2p?: RpcNode & { services: { directory: VerifiedPeers } }
  /** ms since epoch, for registration timestamps; injected for tests. */
  now?: () => number
  timeoutMs?: number
}

export interface StoredReceipt extends SignedStoreReceipt {
  /** The node had the envelope already; the receipt is the first copy's. */
  duplicate: boolean
}

/** `ack`: the node's CommitAck of the accepted commit, checked against this node's key, group and epoch. */
export type CommitOutcome =
  | { accepted: true, sequence: number, ack: Uint8Array }
  /** Another commit won the epoch: apply `winner` (an encoded Envelope, acknowledged by `ack`) and redo yours on top. */
  | { accepted: false, sequence: number, winner: Uint8Array, ack: Uint8Array }

/** What a commit's submitter tells the sequencer beside the commit (see rpc.proto SubmitCommit). */
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

export interface DepartmentClient {
  /** The node's peer id string: also the sequencer name of the groups it orders. */
  readonly id: string
  readonly node: PeerId
  /** The node's Ed25519 key: the key its store receipts are signed with. */
  readonly nodeKey: Uint8Array
  /** Replace this device's registered topics; resolves with how many the node now keeps for it. */
  registerTopics: (topics: string[], options?: AbortOptions) => Promise<number>
  deposit: (envelope: Uint8Array, options?: AbortOptions) => Promise<StoredReceipt>
  query: (topic: string, afterSequence: number, limit?: number, options?: AbortOptions) => Promise<QueryPage>
  /** Add key packages (split into requests that fit); resolves with the stock the node holds. */
  uploadKeyPackages: (packages: Uint8Array[], lastResort?: Uint8Array, options?: AbortOptions) => Promise<number>
  /** One key package for each device of the officer, each handed out once. */
  fetchKeyPackages: (handle: string, options?: AbortOptions) => Promise<Uint8Array[]>
  /** References (hex SHA-256) of this device's one-time packages the node still holds; `complete` false: it holds more. */
  heldKeyPackages: (options?: AbortOptions) => Promise<{ refs: string[], complete: boolean }>
  submitCommit: (groupId: Uint8Array, epoch: number | bigint, envelope: Uint8Array, submission?: CommitSubmission, options?: AbortOptions) => Promise<CommitOutcome>
  /** The signed revocation lists in force at the node; accept them into a RevocationState to use them. */
  revocations: (options?: AbortOptions) => Promise<Uint8Array[]>
  /** One page of the officers' directory, from a cursor (a device key; empty for the start). */
  directoryPage: (afterDeviceKey?: Uint8Array, limit?: number, options?: AbortOptions) => Promise<DirectoryPage>
  /** Every certificate of the department's enrolled, unrevoked officers (encoded; verify before use). */
  directory: (options?: AbortOptions) => Promise<Uint8Array[]>
  /** The node's certificate transparency log, as a LogSource for a LogAuditor (answers verified by the auditor). */
  log: LogSource
  /** The department's settings for its devices (issue 16: the edit window; issue 14: the browser's inactivity lock). */
  settings: (options?: AbortOptions) => Promise<{ editWindowMs: number, lockAfterMs?: number, autoDownloadBytes?: number, requirePin?: boolean }>
  /** Issue 16: a one-time invite for another device of this device's officer (its QR payload, dak:invite/…; the caller checks whose it is). */
  linkInvite: (options?: AbortOptions) => Promise<string>
}

export function createDepartmentClient (init: DepartmentClientInit): DepartmentClient {
  const made = init.rpc ?? (init.libp2p != null ? createRpc(init.libp2p, init.libp2p.services.directory) : undefined)
  if (made == null) throw new InvalidArgumentError('a department client needs an rpc or a libp2p node')
  const rpc: Rpc = made
  const nodeKey = deviceKeyOf(init.node)
  if (nodeKey == null) throw new InvalidArgumentError('a department node has an Ed25519 peer id')
  const now = init.now ?? Date.now
  let lastRegistration = 0

  async function call (protocol: DepartmentProtocol, body: Uint8Array, options?: AbortOptions): Promise<Uint8Array> {
    try {
      return await rpc.request(init.node, DEPARTMENT_PROTOCOLS[protocol], body, {
        signal: options?.signal,
        timeoutMs: init.timeoutMs,
        maxResponseBytes: PROTOCOL_LIMITS[protocol].maxResponseBytes
      })
    } catch (err) {
      throw departmentError(err)
    }
  }

  async function ask<K extends ResponseCase> (protocol: DepartmentProtocol, kase: K, body: Uint8Array, options?: AbortOptions) {
    return decodeResponse(await call(protocol, body, options), kase, PROTOCOL_LIMITS[protocol].maxResponseBytes)
  }

  const logCall = async (request: LogRequest): Promise<Uint8Array> => await call('transparencyLog', encodeLogRequest(request))
  const client: DepartmentClient = {
    log: {
      head: async () => await logCall({ type: 'head' }),
      inclusion: async (leafHash) => decodeInclusionAnswer(await logCall({ type: 'inclusion', leafHash })),
      consistency: async (oldSize, newSize) => decodeConsistencyAnswer(await logCall({ type: 'consistency', oldSize, newSize }))
    },
    id: init.node.toString(),
    node: init.node,
    nodeKey,

    async registerTopics (topics, options) {
      // a registration must be newer than the one in force: never reuse a millisecond
      lastRegistration = Math.max(now(), lastRegistration + 1)
      // signRegisterTopics gives the encoded RegisterTopics; the Request carries it as a message
      const signed = wire.RegisterTopics.decode(signRegisterTopics(init.deviceKeys, topics, lastRegistration))
      const result = await ask('registerTopics', 'registerTopics', encodeRequest('registerTopics', signed), options)
      return result.topics
    },

    async deposit (envelope, options) {
      const result = await ask('deposit', 'deposit', encodeRequest('deposit', { envelope }), options)
      const receipt = verifyStoreReceipt(result.receipt, nodeKey)
      // a valid receipt for another envelope would let a node drop this one unnoticed
      if (!bytesEqual(receipt.messageId, messageId(envelope))) throw new MalformedInputError('store receipt names another envelope')
      if (receipt.sequence !== result.sequence) throw new MalformedInputError('store receipt and answer disagree on the sequence')
      return { ...receipt, duplicate: result.duplicate }
    },

    async query (topic, afterSequence, limit = 0, options) {
      if (!Number.isSafeInteger(afterSequence) || afterSequence < 0) throw new InvalidArgumentError('cursor must be a non-negative integer')
      const page = await ask('query', 'query', encodeRequest('query', { topic, afterSequence, limit, maxBytes: 0 }), options)
      return checkQueryPage(page, afterSequence)
    },

    async uploadKeyPackages (packages, lastResort, options) {
      let stock = 0
      const batches = splitUploads(packages)
      for (const [i, keyPackages] of batches.entries()) {
        // the last-resort package rides with the last batch only (empty bytes: none)
        const last = i === batches.length - 1 ? lastResort : undefined
        const result = await ask('uploadKeyPackages', 'uploadKeyPackages', encodeRequest('uploadKeyPackages', { keyPackages, lastResort: last ?? new Uint8Array(0) }), options)
        stock = result.stock
      }
      return stock
    },

    async fetchKeyPackages (handle, options) {
      const result = await ask('fetchKeyPackages', 'fetchKeyPackage', encodeRequest('fetchKeyPackage', { handle }), options)
      return result.packages.map(p => p.keyPackage)
    },

    async heldKeyPackages (options) {
      return decodeHeldKeyPackages(await call('heldKeyPackages', new Uint8Array(0), options))
    },

    async submitCommit (groupId, epoch, envelope, submission = {}, options) {
      const n = typeof epoch === 'bigint' ? Number(epoch) : epoch
      if (!Number.isSafeInteger(n) || n < 0 || (typeof epoch === 'bigint' && BigInt(n) !== epoch)) throw new InvalidArgumentError('epoch must be a non-negative safe integer')
      const request = {
        groupId, epoch: n, envelope,
        leavingLeaves: submission.leavingLeaves ?? [],
        welcomeHash: submission.welcomeHash ?? new Uint8Array(0),
        registration: submission.registration ?? new Uint8Array(0)
      }
      const result = await ask('submitCommit', 'submitCommit', encodeRequest('submitCommit', request), options)
      // the ack must be this node's, for this group and epoch: an answer is believed only when signed
      const ack = openCommitAck(result.ack, nodeKey)
      if (!bytesEqual(ack.groupId, groupId) || ack.epoch !== n) throw new MalformedInputError('commit ack names another group or epoch')
      if (result.accepted) {
        if (!bytesEqual(ack.commitHash, mlsHash(openEnvelope(envelope, Number.MAX_SAFE_INTEGER).payload))) throw new MalformedInputError('commit ack names another commit')
        return { accepted: true, sequence: result.sequence, ack: result.ack }
      }
      if (result.winner.length === 0) throw new MalformedInputError('a refused commit must come with the winner')
      if (!bytesEqual(ack.commitHash, mlsHash(openEnvelope(result.winner, Number.MAX_SAFE_INTEGER).payload))) throw new MalformedInputError('commit ack names another commit than the winner')
      return { accepted: false, sequence: result.sequence, winner: result.winner, ack: result.ack }
    },

    async revocations (options) {
      return decodeRevocationLists(await call('revocations', new Uint8Array(0), options))
    },

    async settings (options) {
      return decodeSettings(await call('settings', new Uint8Array(0), options))
    },

    async linkInvite (options) {
      return fromUtf8(await call('linkDevice', new Uint8Array(0), options))
    },

    async directoryPage (afterDeviceKey = new Uint8Array(0), limit = 0, options) {
      return decodeDirectoryPage(await call('directory', DirectoryQuery.encode({ afterDeviceKey, limit }), options))
    },

    async directory (options) {
      const certificates: Uint8Array[] = []
      let cursor: Uint8Array = new Uint8Array(0)
      for (let pages = 0; pages < MAX_DIRECTORY_PAGES; pages++) {
        const page = await client.directoryPage(cursor, 0, options)
        certificates.push(...page.certificates)
        if (!page.hasMore) return certificates
        cursor = nextDirectoryCursor(cursor, page)
      }
      throw new MalformedInputError(`directory has more than ${MAX_DIRECTORY_PAGES} pages`)
    }
  }
  return client
}

/** Room in one upload request for packages: the request limit less a last-resort package and the wrappers. */
const UPLOAD_BUDGET = MAX_UPLOAD_REQUEST_BYTES - MAX_KEY_PACKAGE_BYTES - 1024
/** Bytes a package costs inside the request: its own plus a tag and a length (≤ 16 KiB needs 3 bytes). */
const PACKAGE_OVERHEAD = 4

/** Batches of at most MAX_KEY_PACKAGES_PER_UPLOAD packages that fit a request; always at least one (maybe empty) batch. */
function splitUploads (packages: Uint8Array[]): Uint8Array[][] {
  const batches: Uint8Array[][] = [[]]
  let bytes = 0
  for (const p of packages) {
    const batch = batches[batches.length - 1] as Uint8Array[]
    const cost = p.length + PACKAGE_OVERHEAD
    if (batch.length > 0 && (batch.length === MAX_KEY_PACKAGES_PER_UPLOAD || bytes + cost > UPLOAD_BUDGET)) {
      batches.push([p])
      bytes = cost
    } else {
      batch.push(p)
      bytes += cost
    }
  }
  return batches
}

