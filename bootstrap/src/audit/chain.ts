import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, fromHex, signFor, toHex, utf8, verifyFor, type SigningKeyPair } from '@dak/protocol'
import type { AuditHead } from './entry.js'

/**
 * The audit log's hashes and head signature. An entry's hash is SHA-256 over
 * a domain tag and the entry's JSON text exactly as stored, so verifying
 * needs no canonical form: the stored text is what was hashed. The head body
 * is fixed-layout: version 1 (1) ‖ node key (32) ‖ size (u64 BE) ‖ time ms (u64 BE) ‖ last hash (32),
 * signed in the dak/v1/audit-head domain.
 */

export const GENESIS_HASH = new Uint8Array(32)
const ENTRY_TAG = utf8('dak/v1/audit-entry\0')
const HEAD_VERSION = 1

export function entryHash (text: string): Uint8Array {
  return sha256(concatBytes(ENTRY_TAG, utf8(text)))
}

function u64 (value: number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value))
  return out
}

function headBody (nodeKey: Uint8Array, size: number, hash: Uint8Array, at: number): Uint8Array {
  return concatBytes(new Uint8Array([HEAD_VERSION]), nodeKey, u64(size), u64(at), hash)
}

export function signAuditHead (key: SigningKeyPair, size: number, hash: Uint8Array, at: number): AuditHead {
  const signature = signFor('auditHead', key.privateKey, headBody(key.publicKey, size, hash, at))
  return { size, hash: toHex(hash), at, signature: toHex(signature) }
}

/** Throws InvalidSignatureError (or a hex decoding error) unless `head` is signed by `nodeKey`. */
export function verifyAuditHead (head: AuditHead, nodeKey: Uint8Array): void {
  verifyFor('auditHead', nodeKey, headBody(nodeKey, head.size, fromHex(head.hash), head.at), fromHex(head.signature), 'audit log head')
}
