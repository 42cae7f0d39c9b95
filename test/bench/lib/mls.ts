import { createCommit, decode, defaultProposalTypes, encode, joinGroup, mlsMessageDecoder, mlsMessageEncoder, unsafeTestingAuthenticationService, wireformats, type MlsContext } from 'ts-mls'
import { sha256 } from '@noble/hashes/sha2.js'
import { applyPendingCommit, createGroup, joinFromWelcome, proposeCommit, utf8, type ConversationState, type KeyPackageBundle } from '@dak/protocol'
import { openKeyPackageBundle } from '../../../protocol/src/mls/keypackages.js'
import { clientConfig, loadSuite } from '../../../protocol/src/mls/suite.js'
import { ctx, makeDevice, type Device } from '../../../protocol/src/mls/test-fixtures.js'

/**
 * MLS groups for the benchmarks, built with protocol/'s own test fixtures:
 * real certificates from a test department authority (BUDGET), the default
 * cipher suite (X-Wing), the fixed test clock (NOW).
 */

export { ctx, makeContext, makeDevice, NOW, type Device } from '../../../protocol/src/mls/test-fixtures.js'

export function handleOf (i: number, label = 'member'): string {
  return `${label}${i}`
}

export interface Group {
  devices: Device[]
  states: ConversationState[]
}

/**
 * A group of `size`, as protocol/'s makeGroup builds it (member 0 creates it,
 * sole admin, and adds everyone else in one commit; all join from the
 * Welcome), but with a 16-byte group id like the engine's
 * (node/src/messenger/conversations.ts): the id is in every MLS message, so
 * its length shows in the wire and throughput figures.
 */
export async function buildGroup (size: number, label = 'member'): Promise<Group> {
  const devices = await Promise.all(Array.from({ length: size }, async (_, i) => await makeDevice(handleOf(i, label))))
  const [creator, ...others] = devices
  if (creator == null) throw new Error('a group needs a creator')
  const groupId = sha256(utf8(`dak bench group: ${label}/${size}`)).slice(0, 16)
  let admin = await createGroup({ groupId, sequencer: `peer-${creator.handle}`, admins: [creator.device.publicKey], keyPackage: await creator.keyPackage() }, ctx)
  if (others.length === 0) return { devices, states: [admin] }
  const bundles = await Promise.all(others.map(async d => await d.keyPackage()))
  const pending = await proposeCommit(admin, { add: bundles.map(b => b.publicBytes) }, ctx)
  admin = applyPendingCommit(admin, pending)
  const welcome = pending.welcomeBytes
  if (welcome == null) throw new Error('no Welcome')
  const joined = await Promise.all(bundles.map(async b => (await joinFromWelcome(welcome, [b], ctx)).state))
  return { devices, states: [admin, ...joined] }
}

export function at<T> (list: T[], i: number): T {
  const item = list[i]
  if (item === undefined) throw new Error(`no element ${i}`)
  return item
}

/**
 * Grow a group from `from` to `to` members in add-only commits of up to `batch`
 * key packages each, made and applied by the admin. This is setup, not a
 * measurement, so it uses raw ts-mls (createCommit with no Dak checks, which
 * would only re-verify certificates the fixtures just issued): growing to
 * 2,000 members through proposeCommit and a member processing every commit
 * takes minutes. `member` is then a device added by the last commit, joined
 * from its Welcome (raw joinGroup): a current member other than the admin.
 */
export async function growGroup (admin: ConversationState, from: number, to: number, batch: number, progress: (m: string) => void, label = 'grown'): Promise<{ admin: ConversationState, member: ConversationState }> {
  const raw = await rawMlsContext()
  let n = from
  let member: ConversationState | undefined
  while (n < to) {
    const take = Math.min(batch, to - n)
    const bundles: KeyPackageBundle[] = []
    for (let i = 0; i < take; i++) bundles.push(await (await makeDevice(handleOf(n + i, label))).keyPackage())
    const opened = bundles.map(openKeyPackageBundle)
    const result = await createCommit({
      context: raw,
      state: admin.mls,
      extraProposals: opened.map(({ keyPackage }) => ({ proposalType: defaultProposalTypes.add, add: { keyPackage } })),
      wireAsPublicMessage: true,
      ratchetTreeExtension: true
    })
    admin = { ...admin, mls: result.newState }
    n += take
    if (n >= to) {
      const last = opened.at(-1)
      if (result.welcome == null || last == null) throw new Error('the last growth commit made no Welcome')
      const welcome = decode(mlsMessageDecoder, encode(mlsMessageEncoder, result.welcome))
      if (welcome == null || welcome.wireformat !== wireformats.mls_welcome) throw new Error('not a Welcome')
      member = { suite: admin.suite, sealed: false, mls: await joinGroup({ context: raw, welcome: welcome.welcome, keyPackage: last.keyPackage, privateKeys: last.privatePackage }) }
    }
    progress(`  group grown to ${n} of ${to}`)
  }
  if (member == null) throw new Error(`nothing to grow: ${from} → ${to}`)
  return { admin, member }
}

/**
 * A ts-mls context with no Dak checks at all (ts-mls's own testing
 * AuthenticationService accepts every credential): the "raw library" side of
 * the MLS figures.
 */
export async function rawMlsContext (): Promise<MlsContext> {
  const suite = await loadSuite()
  return { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() }
}
