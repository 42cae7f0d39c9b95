import { createCommit, decode, defaultProposalTypes, encode, joinGroup, mlsMessageDecoder, mlsMessageEncoder, processMessage as tsProcessMessage, wireformats, type MlsFramedMessage } from 'ts-mls'
import { applyPendingCommit, joinFromWelcome, processMessage, proposeCommit, type ConversationState } from '@dak/protocol'
import { openKeyPackageBundle } from '../../../protocol/src/mls/keypackages.js'
import { at, buildGroup, ctx, growGroup, makeContext, makeDevice, rawMlsContext } from '../lib/mls.js'
import { ratio, sig, timed } from '../lib/stats.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Figure 5: MLS membership at scale — add one member (the admin's commit and
 * Welcome), a member processing that commit, the newcomer joining from the
 * Welcome — for groups of 10, 100, 1,000 and 2,000 (--quick: 10 and 100), each
 * ÷ raw ts-mls doing the same operation on the same group state with no Dak
 * checks (ts-mls's testing AuthenticationService, no commit rules).
 *
 * The group grows from one size to the next in add-only commits of many key
 * packages (setup with raw ts-mls, timed separately as build time, see
 * growGroup); the admin and one member added by the last of those commits are
 * the only states kept. Default suite (X-Wing hybrid, Ed25519).
 */

function batchFor (size: number): number {
  // Bigger commits are fewer commits (each costs a tree-wide hash and a path encryption), but a
  // commit carries its key packages inline (~2.9 KiB each with X-Wing) and must stay under
  // MAX_MLS_MESSAGE_BYTES (255 KiB): 85 adds is about the most one commit can hold.
  return size <= 100 ? 50 : 85
}

interface Measured {
  size: number
  /** The size the group grew from (the previous size + 1), and how long that took. */
  from: number
  buildSeconds: number
  dak: { commitMs: number, applyMs: number, processMs: number, joinMs: number, commitBytes: number, welcomeBytes: number }
  raw: { commitMs: number, processMs: number, joinMs: number, commitBytes: number, welcomeBytes: number }
}

async function measureAt (size: number, admin: ConversationState, member: ConversationState, label: string): Promise<{ measured: Omit<Measured, 'buildSeconds' | 'size' | 'from'>, admin: ConversationState, member: ConversationState }> {
  const raw = await rawMlsContext()
  const forDak = await (await makeDevice(`new${size}.${label}`)).keyPackage()
  const forRaw = await (await makeDevice(`raw${size}.${label}`)).keyPackage()

  // Raw ts-mls first: it zeroes nothing, so the states stay intact for Dak's turn.
  const rawPackage = openKeyPackageBundle(forRaw)
  const rawCommit = await timed(async () => await createCommit({
    context: raw,
    state: admin.mls,
    extraProposals: [{ proposalType: defaultProposalTypes.add, add: { keyPackage: rawPackage.keyPackage } }],
    wireAsPublicMessage: true,
    ratchetTreeExtension: true
  }))
  const rawCommitBytes = encode(mlsMessageEncoder, rawCommit.value.commit)
  const rawWelcome = rawCommit.value.welcome
  if (rawWelcome == null) throw new Error('raw commit made no Welcome')
  const rawWelcomeBytes = encode(mlsMessageEncoder, rawWelcome)
  const rawProcess = await timed(async () => await tsProcessMessage({ context: raw, state: member.mls, message: decode(mlsMessageDecoder, rawCommitBytes) as MlsFramedMessage }))
  const rawJoin = await timed(async () => {
    const message = decode(mlsMessageDecoder, rawWelcomeBytes)
    if (message == null || message.wireformat !== wireformats.mls_welcome) throw new Error('not a welcome')
    return await joinGroup({ context: raw, welcome: message.welcome, keyPackage: rawPackage.keyPackage, privateKeys: rawPackage.privatePackage })
  })
  void rawProcess.value

  // Dak: propose (verify the key package, check the rules, commit), apply, process, join.
  const commit = await timed(async () => await proposeCommit(admin, { add: [forDak.publicBytes] }, ctx))
  const applied = await timed(async () => applyPendingCommit(admin, commit.value))
  const processed = await timed(async () => await processMessage(member, commit.value.commitBytes, ctx))
  const welcome = commit.value.welcomeBytes
  if (welcome == null) throw new Error('Dak commit made no Welcome')
  // A fresh context: the newcomer's device has verified none of these certificates before.
  const joined = await timed(async () => await joinFromWelcome(welcome, [forDak], makeContext()))
  void joined.value

  return {
    measured: {
      dak: { commitMs: commit.ms, applyMs: applied.ms, processMs: processed.ms, joinMs: joined.ms, commitBytes: commit.value.commitBytes.length, welcomeBytes: welcome.length },
      raw: { commitMs: rawCommit.ms, processMs: rawProcess.ms, joinMs: rawJoin.ms, commitBytes: rawCommitBytes.length, welcomeBytes: rawWelcomeBytes.length }
    },
    admin: applied.value,
    member: processed.value.state
  }
}

function figuresFor (m: Measured): Figure[] {
  const addMs = m.dak.commitMs + m.dak.applyMs
  const kib = (b: number): string => `${sig(b / 1024, 3)} KiB`
  const figures: Figure[] = [
    {
      key: `mls.add.${m.size}`,
      label: `MLS add 1 member to ${m.size}: commit + apply`,
      value: sig(addMs),
      unit: 'ms',
      baseline: { label: 'raw ts-mls createCommit', value: sig(m.raw.commitMs), unit: 'ms' },
      ratio: ratio(addMs, m.raw.commitMs),
      ...(m.size >= 2000 ? { target: { text: '≤ 1 s at 2,000 members', met: addMs <= 1000 } } : {}),
      note: `commit ${kib(m.dak.commitBytes)}, Welcome ${kib(m.dak.welcomeBytes)} (raw ${kib(m.raw.commitBytes)}, ${kib(m.raw.welcomeBytes)})`
    },
    {
      key: `mls.process.${m.size}`,
      label: `MLS a member processes that commit (${m.size})`,
      value: sig(m.dak.processMs),
      unit: 'ms',
      baseline: { label: 'raw ts-mls processMessage', value: sig(m.raw.processMs), unit: 'ms' },
      ratio: ratio(m.dak.processMs, m.raw.processMs)
    },
    {
      key: `mls.join.${m.size}`,
      label: `MLS newcomer joins from the Welcome (${m.size})`,
      value: sig(m.dak.joinMs),
      unit: 'ms',
      baseline: { label: 'raw ts-mls joinGroup', value: sig(m.raw.joinMs), unit: 'ms' },
      ratio: ratio(m.dak.joinMs, m.raw.joinMs)
    }
  ]
  if (m.size > 10) {
    figures.push({
      key: `mls.build.${m.size}`,
      label: `MLS grow the group ${m.from} → ${m.size} (adds of ${batchFor(m.size)} per commit; setup)`,
      value: sig(m.buildSeconds),
      unit: 's'
    })
  }
  return figures
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const sizes = bench.quick ? [10, 100] : [10, 100, 1000, 2000]
  const label = 'scale'
  const group = await buildGroup(2, label)
  let admin = at(group.states, 0)
  let current = 2
  const results: Measured[] = []
  for (const size of sizes) {
    bench.progress(`growing the group from ${current} to ${size}`)
    const grown = await timed(async () => await growGroup(admin, current, size, batchFor(size), bench.progress, `g${size}`))
    admin = grown.value.admin
    const member = grown.value.member
    bench.progress(`measuring at ${size} members (built in ${(grown.ms / 1000).toFixed(1)} s)`)
    const step = await measureAt(size, admin, member, label)
    results.push({ size, from: current, buildSeconds: grown.ms / 1000, ...step.measured })
    // The newcomer stays: the next size grows from size + 1.
    admin = step.admin
    current = size + 1
    const d = step.measured.dak
    bench.progress(`  ${size}: add ${(d.commitMs + d.applyMs).toFixed(0)} ms, process ${d.processMs.toFixed(0)} ms, join ${d.joinMs.toFixed(0)} ms`)
  }
  return { figures: results.flatMap(figuresFor), details: { suite: admin.suite, results } }
}

export const mlsScale: Benchmark = {
  id: 'mls',
  title: 'MLS add / process / join at 10–2,000 members',
  budgetSeconds: { full: 300, quick: 15 },
  run
}
