/**
 * A call as the tests see it on one page: clicks on the call UI's
 * data-testids, and window.__dak.calls (web/src/calls/test-hooks.ts) for
 * what getStats and the SFrame worker say.
 */
import type { Page } from 'playwright-core'
import type { MediaStats } from '../../web/src/calls/stats.js'
import { waitFor } from '../helpers/wait.js'

export async function callStats (page: Page): Promise<MediaStats[]> {
  return await page.evaluate(async () => await window.__dak?.calls?.stats() ?? [])
}

/** Sum of one figure over the page's peer connections. */
export async function total (page: Page, figure: keyof Omit<MediaStats, 'sample'>): Promise<number> {
  return (await callStats(page)).reduce((sum, s) => sum + s[figure], 0)
}

export async function phase (page: Page): Promise<string | null> {
  return await page.evaluate(() => window.__dak?.calls?.phase() ?? null)
}

/** Waits until the page has decoded video frames and received audio and video bytes. */
export async function waitForMediaFlowing (page: Page, what: string, timeoutMs = 30_000): Promise<void> {
  let last: unknown
  try {
    await waitFor(`media flowing at ${what}`, async () => {
      const stats = await callStats(page)
      last = stats
      return stats.length > 0 && stats.every(s => s.framesDecoded > 0 && s.videoBytesReceived > 0 && s.audioBytesReceived > 0)
    }, { timeoutMs })
  } catch (err) {
    const frames = await page.evaluate(async () => await window.__dak?.calls?.frames().then(f => f.counters).catch(e => String(e)))
    throw new Error(`${(err as Error).message}; last stats ${JSON.stringify(last)}; SFrame ${JSON.stringify(frames)}; links ${JSON.stringify(await page.evaluate(() => window.__dak?.calls?.linkStates()))}`)
  }
}

/**
 * Waits until `figure` stops growing (equal in two samples `stillMs` apart),
 * then returns it. Bounded: fails if it keeps growing past the deadline.
 */
export async function waitForStill (page: Page, figure: keyof Omit<MediaStats, 'sample'>, stillMs = 1_000, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let last = await total(page, figure)
  while (Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, stillMs))
    const now = await total(page, figure)
    if (now === last) return now
    last = now
  }
  throw new Error(`${figure} kept growing for ${timeoutMs} ms`)
}

export async function waitForGrowth (page: Page, figure: keyof Omit<MediaStats, 'sample'>, from: number, timeoutMs = 15_000): Promise<number> {
  return await waitFor(`${figure} to grow past ${from}`, async () => {
    const now = await total(page, figure)
    return now > from ? now : undefined
  }, { timeoutMs })
}
