import {
  applyPendingCommit, createGroup, EnvelopeKind, generateSigningKeyPair, groupIdOfState, mlsHash, openCommitAck, parseInviteCode, proposeCommit, RevocationState,
  signGroupRegistration, toHex, TrustStore, type ConversationState, type SigningKeyPair
} from '@dak/protocol'
import { peerIdFromString } from '@libp2p/peer-id'
import { ctx, groupIdFor, makeDevice } from '../../protocol/src/mls/test-fixtures.js'
import { connectAdmin } from '../../bootstrap/src/bin/admin-client.js'
import type { LocalCluster } from '../../bootstrap/src/cluster/local-cluster.js'
import { createDepartmentClient, enrolOverHttp, type DepartmentClient } from '../../node/src/department/index.js'
import { keepDepartmentLink } from '../../node/src/device/department-link.js'
import { createDakLibp2p, type DakLibp2p } from '../../node/src/net/index.js'
import { conversationTopic, seal } from '../department/envelopes.js'

/**
 * The clients of the scaled fault tests (in the manner of Jepsen): devices
 * that deposit envelopes and race commits against a scaled department while
 * its processes and engine servers are killed, recording every
 * acknowledgement they get. The checkers judge the recorded history against
 * what the department holds afterwards.
 */

export interface Client {
  libp2p: DakLibp2p
  client: DepartmentClient
  keys: SigningKeyPair
  stop: () => Promise<void>
}

/** Enrol a device through a live process's admin API and HTTP, and keep it linked to the given processes' TCP addresses. */
export async function enrolClient (cluster: Pick<LocalCluster, 'nodes'>, handle: string, linkTo: number[], keys: SigningKeyPair = generateSigningKeyPair(), via?: number): Promise<{ enrol: (linkTo?: number[]) => Promise<Client> }> {
  // enrolled through `via` (each process limits enrolments per address), else the first live process
  const first = via != null ? cluster.nodes[via] : cluster.nodes.find(n => n.alive())
  if (first == null) throw new Error('no department-node process is running')
  const admin = await connectAdmin(first.dataDir)
  if (admin == null) throw new Error(`department-node process ${first.index + 1} has no admin API`)
  const invite = await admin.call('POST', '/admin/invite', { handle, displayName: `Officer ${handle}`, title: 'Tester' }) as { code: string }
  const enrolment = await enrolOverHttp(first.summary.webUrl, parseInviteCode(invite.code), keys, generateSigningKeyPair().publicKey)
  /** One libp2p node per call: the same device may run several (the commit racer reaches two processes at once). */
  return {
    enrol: async (links = linkTo) => {
      const trust = TrustStore.decode(enrolment.trustBundle)
      const revocations = new RevocationState()
      const libp2p = await createDakLibp2p({ deviceSeed: keys.privateKey, certificate: enrolment.certificate.bytes, verifyContext: () => ({ trust, revocations, now: Date.now() }), listen: [] })
      const bootstrap = links.map(i => tcpAddressOf(cluster, i))
      const stopLink = keepDepartmentLink({ libp2p, bootstrap })
      const client = createDepartmentClient({ libp2p, node: peerIdFromString(first.summary.peerId), deviceKeys: keys, timeoutMs: 5_000 })
      return { libp2p, client, keys, stop: async () => { stopLink(); await libp2p.stop() } }
    }
  }
}

export function tcpAddressOf (cluster: Pick<LocalCluster, 'nodes'>, index: number): string {
  const own = cluster.nodes[index]!.summary.multiaddrs.find(a => /\/tcp\/\d+\/p2p\//.test(a) && !a.includes('/ws'))
  if (own == null) throw new Error(`process ${index + 1} has no TCP address`)
  return own
}

/** Which process a client is connected to now (by the TCP port), or undefined. */
export function connectedTo (cluster: LocalCluster, c: Client): number | undefined {
  for (const connection of c.libp2p.getConnections()) {
    if (connection.status !== 'open') continue
    const port = /\/tcp\/(\d+)/.exec(connection.remoteAddr.toString())?.[1]
    const index = cluster.nodes.findIndex(n => n.alive() && n.summary.multiaddrs.some(a => a.includes(`/tcp/${port}/p2p/`)))
    if (index >= 0) return index
  }
  return undefined
}

export interface Acked { n: number, envelope: Uint8Array, sequence: number, at: number }

/** Deposits one envelope after another on one topic until stopped; an unanswered deposit is retried (deposits are idempotent). */
export function depositLoop (c: Client): { topic: string, acked: Acked[], failures: number[], errors: string[], stop: () => Promise<void> } {
  const topic = conversationTopic()
  const acked: Acked[] = []
  const failures: number[] = []
  const errors: string[] = []
  let stopped = false
  const done = (async () => {
    for (let n = 1; !stopped; n++) {
      const envelope = seal(c.keys, topic, n)
      for (let attempt = 0; !stopped; attempt++) {
        try {
          const receipt = await c.client.deposit(envelope)
          acked.push({ n, envelope, sequence: receipt.sequence, at: Date.now() })
          break
        } catch (err) {
          failures.push(Date.now())
          errors.push(`${new Date().toISOString()} ${(err as Error).name}: ${(err as Error).message.slice(0, 120)}`)
          // the link redials on its own; give it a moment rather than spin
          await new Promise(resolve => setTimeout(resolve, Math.min(50 * (attempt + 1), 500)))
        }
      }
    }
  })()
  return { topic, acked, failures, errors, stop: async () => { stopped = true; await done } }
}

export interface CommitRecord { epoch: number, accepted: boolean, commitHash: string, at: number }

/**
 * One member racing two commits for every epoch through two connections (two
 * libp2p nodes of the same device, linked to different processes): exactly
 * one may be acknowledged. Every answer is recorded; the member goes on from
 * the winner (it holds both candidates).
 */
export async function commitRace (cluster: LocalCluster, enrolled: { enrol: (linkTo?: number[]) => Promise<Client> }, mls: Awaited<ReturnType<typeof makeDevice>>): Promise<{ records: CommitRecord[], groupId: Uint8Array, epochs: () => number, stop: () => Promise<void> }> {
  // never both on one process: x on the first (then the second), y on the third (then the second)
  const [x, y] = [await enrolled.enrol([0, 1]), await enrolled.enrol([2, 1])]
  const nodeKey = peerIdFromString(cluster.nodes[0]!.summary.peerId).publicKey!.raw
  const topic = conversationTopic()
  const policy = { sequencer: cluster.nodes[0]!.summary.peerId, admins: [mls.device.publicKey], idSalt: groupIdFor(topic).slice(0, 16) }
  let state: ConversationState = await createGroup({ ...policy, keyPackage: await mls.keyPackage() }, ctx)
  const groupId = groupIdOfState(state)
  const records: CommitRecord[] = []
  let senderSeq = 1
  const first = await proposeCommit(state, {}, ctx)
  await waitLinked(x)
  const opened = await x.client.submitCommit(groupId, 0, seal(mls.device, topic, senderSeq++, { kind: EnvelopeKind.COMMIT, payload: first.commitBytes }), { registration: signGroupRegistration(mls.device, groupId, policy) })
  if (!opened.accepted) throw new Error('the group was not registered')
  state = applyPendingCommit(state, first)
  let epoch = 1
  let stopped = false
  const done = (async () => {
    while (!stopped) {
      const pendings = [await proposeCommit(state, {}, ctx), await proposeCommit(state, {}, ctx)]
      const envelopes = pendings.map(p => seal(mls.device, topic, senderSeq++, { kind: EnvelopeKind.COMMIT, payload: p.commitBytes }))
      const hashes = pendings.map(p => toHex(mlsHash(p.commitBytes)))
      let winner: number | undefined
      while (winner == null && !stopped) {
        const answers = await Promise.allSettled([x, y].map(async (c, i) => await c.client.submitCommit(groupId, epoch, envelopes[i]!)))
        for (const answer of answers) {
          if (answer.status !== 'fulfilled') continue
          const ack = openCommitAck(answer.value.ack, nodeKey)
          const commitHash = toHex(ack.commitHash)
          records.push({ epoch, accepted: answer.value.accepted, commitHash, at: Date.now() })
          winner = hashes.indexOf(commitHash)
        }
        if (winner == null) await new Promise(resolve => setTimeout(resolve, 200))
      }
      if (winner == null || winner < 0) break
      state = applyPendingCommit(state, pendings[winner]!)
      epoch++
    }
  })()
  return { records, groupId, epochs: () => epoch, stop: async () => { stopped = true; await done; await x.stop(); await y.stop() } }
}

export async function waitLinked (c: Client, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!c.libp2p.getConnections().some(conn => conn.status === 'open')) {
    if (Date.now() > deadline) throw new Error('the device did not reach any department-node process')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** The checker of commits: per epoch, every acknowledgement (accepted or a loser's copy of the winner's) names one commit. */
export function commitViolations (records: CommitRecord[]): string[] {
  const byEpoch = new Map<number, Set<string>>()
  for (const r of records) byEpoch.set(r.epoch, (byEpoch.get(r.epoch) ?? new Set()).add(r.commitHash))
  return [...byEpoch].filter(([, hashes]) => hashes.size > 1).map(([epoch, hashes]) => `epoch ${epoch}: ${hashes.size} different commits acknowledged`)
}

/** The checker of deposits: every acknowledged envelope is stored at the sequence it was acknowledged with, and no sequence twice. */
export async function lostDeposits (reader: DepartmentClient, topic: string, acked: Acked[]): Promise<{ lost: Acked[], duplicateSequences: number[], stored: number }> {
  await reader.registerTopics([topic])
  const stored = new Map<number, string>()
  let after = 0
  for (let page = 0; page < 10_000; page++) {
    const answer = await reader.query(topic, after, 0)
    for (const entry of answer.entries) stored.set(entry.sequence, toHex(entry.envelope))
    after = answer.nextAfterSequence
    if (!answer.hasMore) break
  }
  const lost = acked.filter(a => stored.get(a.sequence) !== toHex(a.envelope))
  const seen = new Map<number, number>()
  for (const a of acked) seen.set(a.sequence, (seen.get(a.sequence) ?? 0) + 1)
  return { lost, duplicateSequences: [...seen].filter(([, count]) => count > 1).map(([sequence]) => sequence), stored: stored.size }
}
