import { mlsExporter } from 'ts-mls'
import { InvalidArgumentError } from '../errors.js'
import { assertMember, leavesOf, type ConversationState } from './state.js'
import { loadSuite } from './suite.js'
import { certificateOfCredential } from './credentials.js'
import type { Certificate } from '../identity/certificate.js'

/** Longest secret a caller may export: a hash output of the largest suite Dak uses. */
export const MAX_EXPORTED_BYTES = 64

/**
 * MLS-Exporter(label, context, length) (RFC 9420 section 8.5) of the state's
 * current epoch: a secret every member at this epoch derives alike and nobody
 * else can, for keys outside MLS (a call's SFrame keys). A removed device
 * gets a typed error, never a secret.
 */
export async function exportSecret (state: ConversationState, label: string, context: Uint8Array, length: number): Promise<Uint8Array> {
  assertMember(state)
  if (!Number.isInteger(length) || length < 1 || length > MAX_EXPORTED_BYTES) throw new InvalidArgumentError(`an exported secret has 1 to ${MAX_EXPORTED_BYTES} bytes`)
  const suite = await loadSuite(state.suite)
  return await mlsExporter(state.mls.keySchedule.exporterSecret, label, context, length, suite.impl)
}

/** Every member's leaf index with its certificate, and this device's own leaf. */
export function leafRoster (state: ConversationState): { own: number, leaves: Array<{ leafIndex: number, certificate: Certificate }> } {
  return {
    own: state.mls.privatePath.leafIndex,
    leaves: leavesOf(state.mls.ratchetTree).map(({ leafIndex, leaf }) => ({ leafIndex, certificate: certificateOfCredential(leaf.credential) }))
  }
}
