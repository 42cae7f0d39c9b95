import type { EngineContext } from './context.js'

/**
 * Which topics a department node has been read for since this device's
 * session with it began (catch-up.ts notes each read as it starts). A GRAFT
 * with the node before the first read needs no catch-up of its own: that read
 * is still to come and covers it (node-mesh-catch-up.ts). Kept per engine,
 * in memory: a new session starts with none.
 */
const reads = new WeakMap<EngineContext, Map<string, Set<string>>>()

function of (ctx: EngineContext, departmentId: string): Set<string> {
  let byDepartment = reads.get(ctx)
  if (byDepartment == null) reads.set(ctx, byDepartment = new Map())
  let topics = byDepartment.get(departmentId)
  if (topics == null) byDepartment.set(departmentId, topics = new Set())
  return topics
}

export function noteTopicRead (ctx: EngineContext, departmentId: string, topic: string): void {
  of(ctx, departmentId).add(topic)
}

export function topicReadThisSession (ctx: EngineContext, departmentId: string, topic: string): boolean {
  return reads.get(ctx)?.get(departmentId)?.has(topic) ?? false
}

/** A new session with the node: nothing of it has been read yet. */
export function forgetTopicReads (ctx: EngineContext, departmentId: string): void {
  reads.get(ctx)?.delete(departmentId)
}
