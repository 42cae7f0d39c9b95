import { fetchNodeInfo } from '../department/http.js'

/** How long one /api/info request may take before the next node is asked. */
const FETCH_TIMEOUT_MS = 10_000
/** The department may change its maximum: asked again this often. */
export const POLICY_REFRESH_MS = 3_600_000

export interface RetentionPolicy {
  /** The department's maximum retention of a message on a device (ms), as last heard; undefined: none known. */
  maxMessageMs: () => number | undefined
  /** Ask the nodes now; resolves when one answered or all failed. */
  refresh: () => Promise<void>
  stop: () => void
}

/**
 * Disappearing messages: the department-wide maximum retention, read from the
 * department node's /api/info (`maxMessageMs`, from its `maxMessageDays`
 * setting) at open and every POLICY_REFRESH_MS. Held in memory only: a device
 * that starts with no node in reach applies the conversations' own timers
 * until it hears from one (docs/messenger.md, "Disappearing messages").
 */
export function watchRetentionPolicy (init: { nodeUrls: string[], onError?: (err: unknown) => void, fetch?: typeof fetch }): RetentionPolicy {
  let max: number | undefined
  let stopped = false
  async function refresh (): Promise<void> {
    for (const url of init.nodeUrls) {
      if (stopped) return
      try {
        const info = await fetchNodeInfo(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), ...(init.fetch != null ? { fetch: init.fetch } : {}) })
        max = info.maxMessageMs
        return
      } catch (err) {
        init.onError?.(err)
      }
    }
  }
  const timer = setInterval(() => { void refresh() }, POLICY_REFRESH_MS)
  timer.unref?.()
  return {
    maxMessageMs: () => max,
    refresh,
    stop () {
      stopped = true
      clearInterval(timer)
    }
  }
}
