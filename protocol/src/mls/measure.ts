/**
 * Rough MLS figures for docs/mls.md: `npx tsx protocol/src/mls/measure.ts [sizes...]`
 * (default sizes 100 1000). Not a test; prints what it measured.
 */
import { utf8 } from '../bytes.js'
import { CLASSICAL_CIPHER_SUITE, DEFAULT_CIPHER_SUITE } from '../constants.js'
import { proposeCommit, proposeSelfUpdate } from './commit.js'
import { applyPendingCommit } from './pending.js'
import { joinFromWelcome } from './group.js'
import { encryptMessage, processMessage } from './messages.js'
import { serialiseState, type ConversationState } from './state.js'
import type { SuiteName } from './suite.js'
import { ctx, makeContext, makeDevice, makeGroup } from './test-fixtures.js'

function ms (start: number): number {
  return Math.round((performance.now() - start) * 10) / 10
}

function kib (bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}

async function throughput (suite: SuiteName, count: number): Promise<void> {
  const { states } = await makeGroup(['asha.rao', 'bo.chen'], suite)
  let asha = states[0] as ConversationState
  let bo = states[1] as ConversationState
  const plaintext = utf8('Meeting moved to 14:00, room 3. Bring the revised budget tables.')
  const messages: Uint8Array[] = []
  let start = performance.now()
  for (let i = 0; i < count; i++) {
    const sent = await encryptMessage(asha, plaintext)
    asha = sent.state
    messages.push(sent.messageBytes)
  }
  const encryptMs = performance.now() - start
  start = performance.now()
  for (const bytes of messages) {
    const got = await processMessage(bo, bytes, ctx)
    bo = got.state
  }
  const decryptMs = performance.now() - start
  console.log(`${suite}: encrypt ${Math.round(count / encryptMs * 1000)}/s, decrypt ${Math.round(count / decryptMs * 1000)}/s ` +
    `(${count} messages of ${plaintext.length} B, ${messages[0]?.length ?? 0} B on the wire; decrypt includes the sender certificate check)`)
}

/** Grow a group to `size` in add-only batches; Asha (admin) commits, Bo processes every commit. */
async function growTo (suite: SuiteName, size: number, batch: number): Promise<{ asha: ConversationState, bo: ConversationState, buildMs: number }> {
  const start = performance.now()
  const { states } = await makeGroup(['asha.rao', 'bo.chen'], suite)
  let asha = states[0] as ConversationState
  let bo = states[1] as ConversationState
  let n = 2
  while (n < size) {
    const take = Math.min(batch, size - n)
    const kps = []
    for (let i = 0; i < take; i++) kps.push((await (await makeDevice(`m${n + i}`, { suite })).keyPackage()).publicBytes)
    const pending = await proposeCommit(asha, { add: kps }, ctx)
    asha = applyPendingCommit(asha, pending)
    const processed = await processMessage(bo, pending.commitBytes, ctx)
    bo = processed.state
    n += take
  }
  return { asha, bo, buildMs: ms(start) }
}

async function timed<T> (fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const value = await fn()
  return [value, ms(start)]
}

async function scale (suite: SuiteName, size: number, batch: number): Promise<void> {
  const { asha, bo, buildMs } = await growTo(suite, size, batch)
  console.log(`${suite}, group of ${size}: built in ${(buildMs / 1000).toFixed(1)} s (add-only commits of ${batch}, each processed by one member)`)
  const newcomer = await makeDevice('new.comer', { suite })
  const kp = await newcomer.keyPackage()
  const [add, addMs] = await timed(async () => await proposeCommit(asha, { add: [kp.publicBytes] }, ctx))
  const asha2 = applyPendingCommit(asha, add)
  const [added, addProcessMs] = await timed(async () => await processMessage(bo, add.commitBytes, ctx))
  // A fresh context: the newcomer's device has verified none of these certificates before.
  const [joined, joinMs] = await timed(async () => await joinFromWelcome(add.welcomeBytes ?? new Uint8Array(), [kp], makeContext()))
  console.log(`  add one: commit ${addMs} ms (${kib(add.commitBytes.length)}), a member processes it in ${addProcessMs} ms, ` +
    `the newcomer joins in ${joinMs} ms (Welcome with tree ${kib(add.welcomeBytes?.length ?? 0)})`)
  const stored = `stored state: ${kib(serialiseState(joined.state).length)} (newcomer), ${kib(serialiseState(asha2).length)} (creator, ${asha2.mls.historicalReceiverData.size} past epochs kept)`
  // A self-update by the newest member: its copath is mostly blank after add-only commits (worst case).
  const [update, updateMs] = await timed(async () => await proposeSelfUpdate(joined.state, ctx))
  console.log(`  self-update by the newcomer: commit ${updateMs} ms (${kib(update.commitBytes.length)})`)
  const [asha3, updateProcessMs] = await timed(async () => await processMessage(asha2, update.commitBytes, ctx))
  console.log(`    processed in ${updateProcessMs} ms`)
  // Remove one: the commit, and the follow-up with a path that ts-mls rc.10 does not give a single removal.
  const member = (await makeDevice('m2', { suite })).device.publicKey
  console.log(`  ${stored}`)
  const [remove, removeMs] = await timed(async () => await proposeCommit(asha3.state, { remove: [member] }, ctx))
  console.log(`  remove one: commits ${removeMs} ms (${kib(remove.commitBytes.length)} + follow-up with path ${kib(remove.followUp?.commitBytes.length ?? 0)})`)
  void added
}

const args = process.argv.slice(2)
const sizes = args.map(Number).filter(n => n > 2)
const suites: SuiteName[] = args.includes('classical') ? [CLASSICAL_CIPHER_SUITE] : args.includes('both') ? [DEFAULT_CIPHER_SUITE, CLASSICAL_CIPHER_SUITE] : [DEFAULT_CIPHER_SUITE]
if (!args.includes('no-throughput')) {
  await throughput(DEFAULT_CIPHER_SUITE, 2000)
  await throughput(CLASSICAL_CIPHER_SUITE, 2000)
}
for (const suite of suites) {
  for (const size of sizes.length > 0 ? sizes : [100, 1000]) {
    // X-Wing key packages are ~2.9 KiB: 80 of them fill MAX_MLS_MESSAGE_BYTES, so adds go in batches of 49.
    await scale(suite, size, 49).catch((err: Error) => { console.log(`  stopped: ${err.name}: ${err.message}`) })
  }
}
