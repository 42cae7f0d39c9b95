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
import { ctx, makeDevice, makeGroup } from './test-fixtures.js'

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
async function growTo (size: number, batch: number): Promise<{ asha: ConversationState, bo: ConversationState, buildMs: number }> {
  const start = performance.now()
  const { states } = await makeGroup(['asha.rao', 'bo.chen'])
  let asha = states[0] as ConversationState
  let bo = states[1] as ConversationState
  let n = 2
  while (n < size) {
    const take = Math.min(batch, size - n)
    const kps = []
    for (let i = 0; i < take; i++) kps.push((await (await makeDevice(`m${n + i}`)).keyPackage()).publicBytes)
    const pending = await proposeCommit(asha, { add: kps }, ctx)
    asha = applyPendingCommit(asha, pending)
    const processed = await processMessage(bo, pending.commitBytes, ctx)
    bo = processed.state
    n += take
  }
  return { asha, bo, buildMs: ms(start) }
}

async function addOne (size: number, batch: number): Promise<void> {
  const { asha, bo, buildMs } = await growTo(size, batch)
  const newcomer = await makeDevice('new.comer')
  const kp = await newcomer.keyPackage()
  let start = performance.now()
  const pending = await proposeCommit(asha, { add: [kp.publicBytes] }, ctx)
  const commitMs = ms(start)
  const asha2 = applyPendingCommit(asha, pending)
  start = performance.now()
  const processed = await processMessage(bo, pending.commitBytes, ctx)
  const processMs = ms(start)
  start = performance.now()
  const joined = await joinFromWelcome(pending.welcomeBytes ?? new Uint8Array(), [kp], ctx)
  const joinMs = ms(start)
  start = performance.now()
  const update = await proposeSelfUpdate(processed.state, ctx)
  const updateMs = ms(start)
  start = performance.now()
  await processMessage(asha2, update.commitBytes, ctx)
  const updateProcessMs = ms(start)
  console.log(`group of ${size} (built in ${(buildMs / 1000).toFixed(1)} s, batches of ${batch}) + 1 member: ` +
    `commit ${commitMs} ms (${kib(pending.commitBytes.length)}), member processes it ${processMs} ms, ` +
    `newcomer joins ${joinMs} ms (Welcome ${kib(pending.welcomeBytes?.length ?? 0)}); ` +
    `self-update commit ${updateMs} ms (${kib(update.commitBytes.length)}), processed ${updateProcessMs} ms; ` +
    `stored state ${kib(serialiseState(joined.state).length)} (newcomer), ${kib(serialiseState(asha2).length)} (admin after ${String(asha2.mls.groupContext.epoch)} epochs)`)
}

const sizes = process.argv.slice(2).map(Number).filter(n => n > 2)
await throughput(DEFAULT_CIPHER_SUITE, 2000)
await throughput(CLASSICAL_CIPHER_SUITE, 2000)
for (const size of sizes.length > 0 ? sizes : [100, 1000]) await addOne(size, size > 200 ? 100 : 49)
