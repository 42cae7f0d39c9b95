import { join } from 'node:path'
import { randomBytes } from '@noble/ciphers/utils.js'
import { ClassicLevel } from 'classic-level'
import { conversation, incoming, T0 } from '../../../node/src/storage/contract/fixtures.js'
import { openDeviceStore, type DeviceStore, type StoreOp } from '../../../node/src/storage/index.js'
import { engineHooks } from '../engine/hooks.js'
import { engineCatchUp, pendingFigure } from '../engine/measure.js'
import { fillerBytes, median, ratio, sig } from '../lib/stats.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Issue 14: the cost of encryption at rest (docs/storage.md, "At rest") on
 * the device store's two hot paths, sealed ÷ plain, on classic-level:
 *
 * - catch-up writes: what node/src/messenger/inbox-batch.ts commits for a
 *   catch-up page of 128 messages — each message and its seen id, and once
 *   per page the group's own state record (~1.1 KB for ten members: the
 *   shared tree record is written only by commits, protocol/src/mls/state-parts.ts)
 *   and the catch-up cursor, all in one batch;
 * - history reads: every page of 50 of a conversation, newest first, as the
 *   UI scrolls back.
 *
 * Only the store is timed, not MLS or the network: this is the cost's upper
 * bound. The third figure is what issue 14 asks for: a whole catch-up through
 * the messenger engine (department node, MLS, store) with every device's
 * store sealed vs plain, in the same run.
 * Plain and sealed runs alternate, three of each; the median is reported.
 */

const ROUNDS = 3
/** The own record of a ten-member group's split state (state-parts.ts). */
const STATE_BYTES = 1_100
const PAGE = 128
const HISTORY_PAGE = 50

async function writeCatchUp (store: DeviceStore, id: string, count: number): Promise<number> {
  const state = fillerBytes(STATE_BYTES, 9)
  const start = performance.now()
  let ops: StoreOp[] = []
  for (let i = 0; i < count; i++) {
    ops.push(
      { type: 'message-add', message: incoming(id, `e${String(i).padStart(6, '0')}`, T0 + i * 1000) },
      { type: 'seen', id: `e${String(i).padStart(6, '0')}`, at: T0 + i }
    )
    if (i % PAGE === PAGE - 1 || i === count - 1) {
      ops.push({ type: 'group-state', groupId: 'ab'.repeat(16), state }, { type: 'cursor', topic: id, node: '12D3KooWDepartmentNode', seq: i + 1 })
      await store.commit(ops)
      ops = []
    }
  }
  return performance.now() - start
}

async function readHistory (store: DeviceStore, id: string): Promise<{ ms: number, pages: number }> {
  const start = performance.now()
  let pages = 0
  let before: string | undefined
  for (;;) {
    const page = await store.messages.history(id, { limit: HISTORY_PAGE, ...(before !== undefined ? { before } : {}) })
    pages++
    before = page.before
    if (before === undefined) break
  }
  return { ms: performance.now() - start, pages }
}

async function once (dir: string, count: number, storageKey: Uint8Array | undefined): Promise<{ write: number, read: number, pages: number }> {
  const store = await openDeviceStore(new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' }), storageKey !== undefined ? { storageKey } : {})
  try {
    const id = 'dak/c/bench'
    await store.conversations.create(conversation(id))
    const write = await writeCatchUp(store, id, count)
    await readHistory(store, id) // warm the block cache, as an open app has it
    const read = await readHistory(store, id)
    return { write, read: read.ms, pages: read.pages }
  } finally {
    await store.close()
  }
}

/** A whole catch-up through the engine, plain then sealed (then again, in a full run): msg/s each, the median. */
async function engineFigure (bench: BenchContext): Promise<Figure> {
  const label = 'messenger engine catch-up (department node, MLS, store), sealed ÷ plain'
  const start = engineHooks.startCatchUp
  if (start == null) return pendingFigure('at-rest.engine-catch-up', label, 'msg/s', 'startCatchUp', 'cost ≤ 10%')
  const envelopes = bench.quick ? 60 : 500
  const members = bench.quick ? 3 : 10
  const rates: { plain: number[], sealed: number[] } = { plain: [], sealed: [] }
  for (let round = 0; round < (bench.quick ? 1 : 2); round++) {
    for (const sealed of [false, true]) {
      bench.progress(`at-rest: engine catch-up of ${envelopes}, ${sealed ? 'sealed' : 'plain'} stores (round ${round + 1})`)
      const scenario = await start({ envelopes, members, sealed, tmpDir: bench.tmpDir, progress: bench.progress })
      try {
        const caught = await engineCatchUp(scenario, 300_000)
        if (caught.messages !== envelopes) throw new Error(`caught up ${caught.messages} of ${envelopes}`)
        rates[sealed ? 'sealed' : 'plain'].push(caught.rate)
      } finally {
        await scenario.stop()
      }
    }
  }
  const plain = median(rates.plain)
  const sealed = median(rates.sealed)
  return {
    key: 'at-rest.engine-catch-up',
    label,
    value: sig(sealed),
    unit: 'msg/s',
    baseline: { label: 'plain stores', value: sig(plain), unit: 'msg/s' },
    // time per message, sealed ÷ plain: above 1 is the cost
    ratio: ratio(plain, sealed),
    target: { text: 'cost ≤ 10%', met: plain / sealed <= 1.1 },
    note: `${envelopes} texts in a ${members}-member conversation, caught up by a device that was offline; ${bench.quick ? 'one round' : 'median of two rounds'}`
  }
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const count = bench.quick ? 500 : 3_000
  const plain: Array<{ write: number, read: number, pages: number }> = []
  const sealed: Array<{ write: number, read: number, pages: number }> = []
  for (let round = 0; round < ROUNDS; round++) {
    bench.progress(`at-rest: round ${round + 1}/${ROUNDS}, ${count} messages`)
    plain.push(await once(join(bench.tmpDir, `plain-${round}`), count, undefined))
    sealed.push(await once(join(bench.tmpDir, `sealed-${round}`), count, randomBytes(32)))
  }
  const perMessage = (runs: typeof plain): number => median(runs.map(r => r.write)) / count
  const perPage = (runs: typeof plain): number => median(runs.map(r => r.read / r.pages))
  const figures: Figure[] = [
    {
      key: 'at-rest.catch-up-writes',
      label: `catch-up store writes per message (pages of ${PAGE}: messages, seen ids, one ${STATE_BYTES / 1000} KB group state), sealed ÷ plain`,
      value: sig(perMessage(sealed) * 1000),
      unit: 'µs',
      baseline: { label: 'plain store', value: sig(perMessage(plain) * 1000), unit: 'µs' },
      ratio: ratio(perMessage(sealed), perMessage(plain)),
      target: { text: '≤ 1.10', met: perMessage(sealed) <= perMessage(plain) * 1.1 }
    },
    {
      key: 'at-rest.history-reads',
      label: `history read per page of ${HISTORY_PAGE}, sealed ÷ plain`,
      value: sig(perPage(sealed) * 1000),
      unit: 'µs',
      baseline: { label: 'plain store', value: sig(perPage(plain) * 1000), unit: 'µs' },
      ratio: ratio(perPage(sealed), perPage(plain)),
      target: { text: '≤ 1.10', met: perPage(sealed) <= perPage(plain) * 1.1 }
    }
  ]
  figures.push(await engineFigure(bench))
  return { figures, details: { messages: count, rounds: { plain, sealed } } }
}

export const atRest: Benchmark = {
  id: 'at-rest',
  title: 'Encryption at rest: device store writes and history reads, sealed vs plain',
  budgetSeconds: { full: 240, quick: 90 },
  run
}
