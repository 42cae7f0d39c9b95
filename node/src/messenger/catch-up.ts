import { openEnvelope } from '@dak/protocol'
import type { EngineContext } from './context.js'
import type { Incoming } from './incoming.js'
import type { DepartmentPort } from './ports.js'

/** Envelopes per page: a 2G link fetches a page in seconds, and progress is reported per page. */
const PAGE = 128

/**
 * Catch up from one department node: for every topic this device is in, ask
 * for what was stored after our cursor, page by page, and feed each envelope
 * through the inbox. The cursor moves only after a page is fully processed,
 * and the inbox dedupes by id, so an interrupted catch-up repeats nothing and
 * loses nothing.
 */
export async function catchUp (ctx: EngineContext, incoming: Incoming, department: DepartmentPort, topics: () => Promise<string[]>): Promise<number> {
  let done = 0
  const visited = new Set<string>()
  // Topics can grow while we catch up (a Welcome in the inbox adds a conversation): loop until none is new.
  for (let round = 0; round < 8; round++) {
    const all = await topics()
    const pending = all.filter(t => !visited.has(t))
    if (pending.length === 0) break
    // A Welcome caught up in the last round added a conversation: the node serves only registered topics.
    if (round > 0) await department.registerTopics(all)
    for (const topic of pending) {
      visited.add(topic)
      let after = await ctx.store.cursors.get(topic, department.id) ?? 0
      for (let pageCount = 0; pageCount < 100_000; pageCount++) {
        const page = await department.query(topic, after, PAGE)
        for (const entry of page.entries) {
          try {
            await incoming.accept(openEnvelope(entry.envelope, ctx.now()))
          } catch {
            // one unreadable envelope must not stop the catch-up; it is not marked seen, a later pass retries it
          }
          done++
        }
        if (page.nextAfterSequence > after) {
          after = page.nextAfterSequence
          await ctx.store.cursors.advance(topic, department.id, after)
        }
        ctx.emitter.emit('sync', { done, finished: false })
        if (!page.hasMore || page.entries.length === 0) break
      }
    }
  }
  ctx.emitter.emit('sync', { done, total: done, finished: true })
  return done
}
