import { InvalidArgumentError } from '@dak/protocol'
import { bytesField, decodeRecord, encodeRecord } from './codec.js'
import { CorruptRecordError } from './errors.js'
import { keyPart } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * This device's own secrets and credentials. Each field is its own key so
 * enrolment can write them as they become known (seed first, certificate when
 * the authority answers) and a corrupt field does not hide the others.
 */
export interface SignatureKeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

export interface DeviceIdentity {
  /** Seed of the device (libp2p Ed25519) key. */
  deviceSeed?: Uint8Array
  /** The MLS signature key pair named in the certificate. */
  mlsSignatureKey?: SignatureKeyPair
  /** Encoded device certificate from the department authority. */
  certificate?: Uint8Array
  /** Encoded trust bundle: the authorities this device accepts. */
  trustBundle?: Uint8Array
  /**
   * Set when this device learnt, from a signed revocation list, that its own
   * certificate was revoked: when (the first such list's time) and by which
   * department (its authority's name). Kept so the date does not drift as later lists are issued.
   */
  revoked?: OwnRevocation
}

export interface OwnRevocation {
  at: number
  department: string
}

export type IdentityOp =
  | { type: 'identity', set: DeviceIdentity }
  | { type: 'revocation-list', authority: string, list: Uint8Array }
  | { type: 'log-head', logKey: string, head: Uint8Array }

export interface IdentityRepository {
  /** Every field stored so far (an empty object on a fresh device). */
  get: () => Promise<DeviceIdentity>
  /** Write the given fields together; fields not given are left as they are. */
  put: (fields: DeviceIdentity) => Promise<void>
  revocationList: (authority: string) => Promise<Uint8Array | undefined>
  revocationLists: () => Promise<Array<{ authority: string, list: Uint8Array }>>
  putRevocationList: (authority: string, list: Uint8Array) => Promise<void>
  /**
   * The largest head of a department's certificate log this device verified, by the log's key
   * (hex): kept so a node cannot show a smaller or other tree after a restart unnoticed.
   */
  logHead: (logKey: string) => Promise<Uint8Array | undefined>
  putLogHead: (logKey: string, head: Uint8Array) => Promise<void>
}

const RAW_FIELDS = { deviceSeed: 'device-seed', certificate: 'certificate', trustBundle: 'trust-bundle' } as const
const SIGNATURE_KEY = 'mls-signature-key'
const REVOKED_KEY = 'revoked'
/** Log heads live among the identity's fields (trust state, like the trust bundle), one key per log. */
const logHeadKey = (logKey: string): string => `log-head:${keyPart('log key', logKey)}`

function nonEmpty (what: string, bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new InvalidArgumentError(`${what} must be non-empty bytes`)
  return bytes
}

function storedBytes (what: string, bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) throw new CorruptRecordError(`identity/${what}: empty value`)
  return bytes
}

export function applyIdentityOp (tx: WriteTransaction, sections: Sections, op: IdentityOp): void {
  if (op.type === 'revocation-list') {
    tx.put(sections.revocations, keyPart('authority', op.authority), nonEmpty('a revocation list', op.list))
    return
  }
  if (op.type === 'log-head') {
    tx.put(sections.identity, logHeadKey(op.logKey), nonEmpty('a log head', op.head))
    return
  }
  for (const [field, key] of Object.entries(RAW_FIELDS) as Array<[keyof typeof RAW_FIELDS, string]>) {
    const value = op.set[field]
    if (value !== undefined) tx.put(sections.identity, key, nonEmpty(field, value))
  }
  const pair = op.set.mlsSignatureKey
  if (pair !== undefined) {
    tx.put(sections.identity, SIGNATURE_KEY, encodeRecord({
      publicKey: bytesField(nonEmpty('the MLS public key', pair.publicKey)),
      privateKey: bytesField(nonEmpty('the MLS private key', pair.privateKey))
    }))
  }
  const revoked = op.set.revoked
  if (revoked !== undefined) {
    if (!Number.isSafeInteger(revoked.at) || revoked.at < 0 || typeof revoked.department !== 'string') throw new InvalidArgumentError('a revocation notice needs a time and a department')
    tx.put(sections.identity, REVOKED_KEY, encodeRecord({ at: revoked.at, department: revoked.department }))
  }
}

export function createIdentityRepository ({ sections, transact }: RepositoryContext): IdentityRepository {
  const commit = async (op: IdentityOp): Promise<void> => { await transact(async (tx) => { applyIdentityOp(tx, sections, op) }) }
  return {
    async get () {
      const identity: DeviceIdentity = {}
      for (const [field, key] of Object.entries(RAW_FIELDS) as Array<[keyof typeof RAW_FIELDS, string]>) {
        const value = await sections.identity.get(key)
        if (value !== undefined) identity[field] = storedBytes(key, value)
      }
      const pair = await sections.identity.get(SIGNATURE_KEY)
      if (pair !== undefined) {
        identity.mlsSignatureKey = decodeRecord(pair, `identity/${SIGNATURE_KEY}`, (r) => ({ publicKey: r.bytes('publicKey'), privateKey: r.bytes('privateKey') }))
      }
      const revoked = await sections.identity.get(REVOKED_KEY)
      if (revoked !== undefined) identity.revoked = decodeRecord(revoked, `identity/${REVOKED_KEY}`, (r) => ({ at: r.count('at'), department: r.string('department') }))
      return identity
    },
    put: async (fields) => { await commit({ type: 'identity', set: fields }) },
    async revocationList (authority) {
      const list = await sections.revocations.get(keyPart('authority', authority))
      return list === undefined ? undefined : storedBytes(`revocations/${authority}`, list)
    },
    async revocationLists () {
      const entries = await sections.revocations.entries({})
      return entries.map(([authority, list]) => ({ authority, list: storedBytes(`revocations/${authority}`, list) }))
    },
    putRevocationList: async (authority, list) => { await commit({ type: 'revocation-list', authority, list }) },
    async logHead (logKey) {
      const head = await sections.identity.get(logHeadKey(logKey))
      return head === undefined ? undefined : storedBytes(`log head ${logKey}`, head)
    },
    putLogHead: async (logKey, head) => { await commit({ type: 'log-head', logKey, head }) }
  }
}
