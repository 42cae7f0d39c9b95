import { openEnvelope, type OpenedEnvelope } from '@dak/protocol'
import type { StoreOp } from '../storage/index.js'
import type { EngineContext } from './context.js'
import type { Incoming } from './incoming.js'
import type { DepartmentPort, QueryPage } from './ports.js'
import { missingTotal } from './gaps.js'
import { noteTopicRead } from './topic-reads.js'
import { componentLogger } from '../log.js'

const log = componentLogger('messenger:catch-up')

/** Envelopes per page: a 2G link fetches a page in seconds, and progress is reported per page. */
const PAGE = 128
/** Topics whose first page is asked for ahead of their turn: within the node's 8 streams per protocol and peer. */
const FIRST_PAGES_AHEAD = 4

/**
 * Catch up from one department node: for every topic this device is in, ask
 * for what was stored after our cursor, page by page, and hand each page to
 * the inbox, which persists what the page produced and the cursor advance in
 * one commit. A page whose commit fails leaves nothing behind and the cursor
 * where it was, so it is fetched and processed again next time; the inbox
 * dedupes by id, so nothing is repeated or lost.
 *
 * A topic that fails stops there; the others still catch up, and the first
 * failure is thrown at the end (the caller reports it and retries later).
 */
export async function catchUp (ctx: EngineContext, incoming: Incoming, department: DepartmentPort, topics: () => Promise<string[]>): Promise<number> {
  const progress = { done: 0 }
  let failure: unknown
  const visited = new Set<string>()
  try {
    // Topics can grow while we catch up (a Welcome in the inbox adds a conversation): loop until none is new.
    for (let round = 0; round < 8; round++) {
      const all = await topics()
      const pending = all.filter(t => !visited.has(t))
      if (pending.length === 0) break
      // A Welcome caught up in the last round added a conversation: the node serves only registered topics.
      if (round > 0) await department.registerTopics(all)
      const ahead = firstPagesAhead(ctx, department, pending)
      for (const [i, topic] of pending.entries()) {
        visited.add(topic)
        try {
          await catchUpTopic(ctx, incoming, department, topic, progress, true, await ahead.take(i))
        } catch (err) {
          failure ??= err
        }
      }
    }
    // what the catch-up showed missing is asked for again: from this node, then from any other in reach
    try {
      await repairGaps(ctx, incoming, [department, ...ctx.departments.connected().filter(d => d.id !== department.id)])
    } catch (err) {
      failure ??= err
    }
  } finally {
    ctx.emitter.emit('sync', { done: progress.done, total: progress.done, finished: true, complete: failure === undefined })
  }
  if (failure !== undefined) throw failure
  return progress.done
}

/**
 * Fetch again what is missing: for each open conversation with a gap, read
 * its topic from the start at each department node in turn until nothing is
 * missing. The cursor is neither used nor moved (it is past the hole), and
 * what was had already is skipped by id; an envelope that does not open
 * (tampered) is refused as in catch-up. Resolves with how many are still missing.
 */
export async function repairGaps (ctx: EngineContext, incoming: Incoming, departments: DepartmentPort[]): Promise<number> {
  let still = 0
  for (const conversation of await ctx.store.conversations.list()) {
    if (conversation.closed != null || await missingTotal(ctx, conversation.id) === 0) continue
    for (const department of departments) {
      await readTopic(ctx, incoming, department, conversation.id, 0, undefined)
      if (await missingTotal(ctx, conversation.id) === 0) break
    }
    still += await missingTotal(ctx, conversation.id)
  }
  return still
}

/**
 * Catch up on one conversation just joined, from one department node, without
 * progress events: what was published on its topic before this device's
 * subscription reached the mesh is in the node's store only.
 */
export async function catchUpJoined (ctx: EngineContext, incoming: Incoming, department: DepartmentPort, topic: string): Promise<void> {
  await catchUpTopic(ctx, incoming, department, topic, { done: 0 }, false)
}

/** A topic's first page, asked for before its turn, with the cursor it was asked from. */
interface FirstPage { after: number, page: Promise<QueryPage> }

/**
 * Topics' first pages asked for FIRST_PAGES_AHEAD at a time ahead of their
 * turn: on 2G each query is a round trip or two, and one topic after another
 * cost those in series (a device has its inbox and every conversation). Pages
 * are still processed one topic after another, in the same order as before.
 */
function firstPagesAhead (ctx: EngineContext, department: DepartmentPort, topics: string[]): { take: (i: number) => Promise<FirstPage | undefined> } {
  const asked = new Map<number, Promise<FirstPage>>()
  const ask = (i: number): void => {
    const topic = topics[i]
    if (topic === undefined || asked.has(i)) return
    const first = (async () => {
      const after = await ctx.store.cursors.get(topic, department.id) ?? 0
      const page = department.query(topic, after, PAGE)
      page.catch(() => {}) // its failure is the topic's, reported when its turn comes; never an unhandled rejection
      return { after, page }
    })()
    first.catch(() => {})
    asked.set(i, first)
  }
  for (let i = 0; i < FIRST_PAGES_AHEAD; i++) ask(i)
  return {
    async take (i) {
      ask(i + FIRST_PAGES_AHEAD)
      const first = asked.get(i)
      asked.delete(i)
      // only the cursor read is awaited here, not the page
      return await first?.catch(() => undefined)
    }
  }
}

/** Page through one topic; `progress.done` counts the envelopes of every page processed. */
async function catchUpTopic (ctx: EngineContext, incoming: Incoming, department: DepartmentPort, topic: string, progress: { done: number }, report = true, first?: FirstPage): Promise<void> {
  noteTopicRead(ctx, department.id, topic)
  const after = await ctx.store.cursors.get(topic, department.id) ?? 0
  await readTopic(ctx, incoming, department, topic, after, (done) => {
    progress.done += done
    if (report) ctx.emitter.emit('sync', { done: progress.done, finished: false })
  }, true, first)
}

/**
 * Read a topic from `after` page by page into the inbox; with `moveCursor`, each page's cursor
 * advance is stored with it. `first`: the first page if it was asked for from this same cursor
 * (something else may have moved the cursor since: then it is asked for again).
 */
async function readTopic (ctx: EngineContext, incoming: Incoming, department: DepartmentPort, topic: string, after: number, onPage: ((entries: number) => void) | undefined, moveCursor = false, first?: FirstPage): Promise<void> {
  for (let pageCount = 0; pageCount < 100_000; pageCount++) {
    const page = pageCount === 0 && first !== undefined && first.after === after ? await first.page : await department.query(topic, after, PAGE)
    const envelopes: OpenedEnvelope[] = []
    for (const entry of page.entries) {
      try {
        envelopes.push(openEnvelope(entry.envelope, ctx.now()))
      } catch (err) {
        // a stored envelope that does not open here (bad signature, tampered, expired sender) can never be read: skip it
        log('skipped stored envelope %d of %s: %e', entry.sequence, topic, err)
      }
    }
    const next = Math.max(after, page.nextAfterSequence)
    const cursor: StoreOp[] = moveCursor && next > after ? [{ type: 'cursor', topic, node: department.id, seq: next }] : []
    await incoming.acceptPage(envelopes, cursor, 'store')
    after = next
    onPage?.(page.entries.length)
    if (!page.hasMore || page.entries.length === 0) break
  }
}
