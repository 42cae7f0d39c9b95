import { sha256 } from '@noble/hashes/sha2.js'
import { utf8 } from '../bytes.js'
import type { CertificateFields } from '../identity/certificate.js'
import { issueRevocationList, RevocationState } from '../identity/revocation.js'
import { department, NOW, officer, type Department } from '../identity/test-fixtures.js'
import { TrustStore } from '../identity/trust.js'
import type { ConversationContext } from './context.js'
import { generateMlsSignatureKeyPair, type MlsSignatureKeyPair } from './credentials.js'
import { createKeyPackage, type KeyPackageBundle } from './keypackages.js'
import { proposeCommit } from './commit.js'
import { applyPendingCommit, type PendingCommit } from './pending.js'
import { createGroup, joinFromWelcome } from './group.js'
import { processMessage } from './messages.js'
import { isRemoved, type ConversationState } from './state.js'
import { loadSuite, type SuiteName } from './suite.js'
import type { Certificate } from '../identity/certificate.js'
import type { SigningKeyPair } from '../identity/keys.js'

/**
 * Real certificates from test authorities, MLS devices and small groups for the MLS
 * tests (not exported from the package). Certificates are deterministic; MLS keys are
 * drawn by ts-mls, which takes no randomness argument.
 */

export { NOW, DAY } from '../identity/test-fixtures.js'

/** The department every test group lives in, and one nobody trusts. */
export const BUDGET: Department = department('mof.budget')
export const ROGUE: Department = department('rogue.dept')

export interface Device {
  handle: string
  device: SigningKeyPair
  certificate: Certificate
  signature: MlsSignatureKeyPair
  suite: SuiteName
  /** A fresh one-time key package for this device. */
  keyPackage: () => Promise<KeyPackageBundle>
}

export async function makeDevice (handle: string, options: { suite?: SuiteName, dept?: Department, fields?: Partial<CertificateFields> } = {}): Promise<Device> {
  const suite = await loadSuite(options.suite)
  const signature = await generateMlsSignatureKeyPair(suite)
  const { device, certificate } = officer(options.dept ?? BUDGET, handle, { mlsSignatureKey: signature.publicKey, ...options.fields })
  return {
    handle,
    device,
    certificate,
    signature,
    suite: suite.name,
    keyPackage: async () => await createKeyPackage({ certificate: certificate.bytes, signatureKeyPair: signature, suite })
  }
}

/** Trusts BUDGET (and `alsoTrust`), at NOW, with the given BUDGET devices revoked. */
export function makeContext (options: { now?: number, revoked?: Device[], alsoTrust?: Department[], retention?: ConversationContext['retention'] } = {}): ConversationContext {
  const trust = new TrustStore([BUDGET.entry, ...(options.alsoTrust ?? []).map(d => d.entry)])
  const revocations = new RevocationState()
  if (options.revoked != null && options.revoked.length > 0) {
    revocations.accept(issueRevocationList(BUDGET.authority, 1, NOW, options.revoked.map(d => d.device.publicKey)), trust)
  }
  return { trust, revocations, now: options.now ?? NOW, retention: options.retention }
}

export const ctx = makeContext()

export function groupIdFor (label: string): Uint8Array {
  return sha256(utf8(`dak test group: ${label}`))
}

export interface TestGroup {
  devices: Device[]
  states: ConversationState[]
}

/**
 * A group made by devices[0] (the only admin, its own sequencer) who adds all the others
 * in one commit; everyone joins from the Welcome.
 */
export async function makeGroup (handles: string[], suite?: SuiteName): Promise<TestGroup> {
  const devices = await Promise.all(handles.map(async h => await makeDevice(h, { suite })))
  const [creator, ...others] = devices
  if (creator == null) throw new Error('a group needs a creator')
  let admin = await createGroup({ groupId: groupIdFor(handles.join(',')), sequencer: `peer-${creator.handle}`, admins: [creator.device.publicKey], keyPackage: await creator.keyPackage() }, ctx)
  if (others.length === 0) return { devices, states: [admin] }
  const bundles = await Promise.all(others.map(async d => await d.keyPackage()))
  const pending = await proposeCommit(admin, { add: bundles.map(b => b.publicBytes) }, ctx)
  admin = applyPendingCommit(admin, pending)
  const joined = await Promise.all(bundles.map(async b => (await joinFromWelcome(pending.welcomeBytes ?? new Uint8Array(), [b], ctx)).state))
  return { devices, states: [admin, ...joined] }
}

/**
 * Apply an acknowledged commit (and its follow-up, if it has one): the author applies its
 * pending state, everyone else processes the bytes. Removed members keep their (removed) state.
 */
export async function deliverCommit (pending: PendingCommit, author: number, states: ConversationState[]): Promise<ConversationState[]> {
  const next = await Promise.all(states.map(async (state, i) => {
    if (isRemoved(state)) return state
    if (i === author) return applyPendingCommit(state, pending)
    const outcome = await processMessage(state, pending.commitBytes, ctx)
    if (outcome.kind !== 'commit') throw new Error('expected a commit')
    return outcome.state
  }))
  if (pending.followUp == null) return next
  return await deliverCommit(pending.followUp, author, next)
}
