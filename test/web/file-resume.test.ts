/**
 * A 20 MB file from a `dak` device (Node.js) to a browser through the
 * department node while the sender is offline (issue 15; docs/files.md): the
 * browser's link is cut partway (Playwright's setOffline: the page closes every
 * connection) and comes back, and the download goes on from the chunks the
 * browser kept; a chunk the node serves damaged is refused, and fetched
 * again when the officer tries again; the node's disk holds none of the
 * plaintext. Real Chromium, a real department node on loopback.
 */
import { readFile, rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ChunkStore } from '../../bootstrap/src/files/chunk-store.js'
import { waitFor } from '../helpers/wait.js'
import { filesContaining, MARKER, markedFile } from '../files/world.js'
import { buildWebClient, launchChromium, startDepartment, type Department } from './harness.js'
import { deskAndField } from './desk-and-field.js'
import { openConversation, waitForMode } from './page.js'

const honestGet = ChunkStore.prototype.get
let webRoot: string
let department: Department
let nodeStopped = false
let browser: Browser
let context: BrowserContext
let page: Page
let stopMehta: (() => Promise<void>) | undefined

beforeAll(async () => {
  webRoot = await buildWebClient()
  department = await startDepartment(webRoot)
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1000, height: 760 }, acceptDownloads: true })
  page = await context.newPage()
}, 180_000)

afterAll(async () => {
  ChunkStore.prototype.get = honestGet
  await browser?.close()
  await stopMehta?.()
  if (nodeStopped) await rm(department.dataDir, { recursive: true, force: true })
  else await department?.stop()
  if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
})

/** From now on, the page records the last value the file's progress bar showed (chunks held, checked): the bar goes when a download fails. */
async function watchProgress (fileId: string): Promise<void> {
  await page.evaluate((id) => {
    const w = window as unknown as { lastHeld: number }
    w.lastHeld = -1
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>(`[data-file-id="${id}"] [data-testid=attachment-progress]`)
      if (bar !== null) w.lastHeld = bar.value
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  }, fileId)
}

async function heldOnPage (): Promise<number> {
  return await page.evaluate(() => (window as unknown as { lastHeld: number }).lastHeld)
}

describe('a 20 MB file from a dak device to a browser', () => {
  it('resumes after the browser\'s link is cut, refuses a damaged chunk and fetches it again, and the node keeps 0 plaintext bytes', async () => {
    const officers = await deskAndField(department, page)
    stopMehta = officers.stop
    const { mehta, direct } = officers
    await openConversation(page, direct)

    const bytes = markedFile(20 * 1000 * 1000)
    const sent = await mehta.messenger.sendFile(direct, { bytes, name: 'survey.bin', mediaType: 'application/octet-stream' })
    const fileId = sent.attachment!.fileId
    const total = Math.ceil(bytes.length / 65_536)
    // the sender uploads to its department node, then goes offline: the node serves the file alone
    await waitFor('the node holds every chunk', async () => ((await mehta.store.files.get(fileId))?.uploadedTo.length ?? 0) > 0, { timeoutMs: 120_000 })
    await mehta.messenger.idle()
    await officers.stop()
    stopMehta = undefined
    const card = page.locator(`[data-testid=attachment][data-file-id="${fileId}"]`)
    // over the 1 MB the browser fetches by itself: nothing of it here yet
    await page.locator(`[data-testid=attachment][data-file-id="${fileId}"][data-held=remote]`).waitFor({ timeout: 60_000 })

    // the node counts what it serves, and damages one chunk near the end, once; until the link is cut it
    // holds back every request past the first quarter (so the cut comes a quarter in however fast the page
    // is), and those it held back fail: their link is gone
    const damaged = total - 10
    const quarter = Math.ceil(total / 4)
    const served = { count: 0, damaged: 0 }
    let linkCut!: () => void
    const cut = new Promise<void>(resolve => { linkCut = resolve })
    let heldBackAtQuarter = 0
    ChunkStore.prototype.get = async function (this: ChunkStore, ...args: Parameters<ChunkStore['get']>) {
      if (args[1] >= quarter && heldBackAtQuarter >= 0) {
        heldBackAtQuarter++
        await cut
        throw new Error('held back until the link was cut')
      }
      const chunks = await honestGet.apply(this, args)
      served.count += chunks.length
      const at = damaged - args[1]
      if (served.damaged === 0 && at >= 0 && at < chunks.length) {
        const bad = chunks[at]!.slice()
        bad[100] = bad[100]! ^ 0x01
        chunks[at] = bad
        served.damaged++
      }
      return chunks
    }

    // 1. the link is cut once a quarter is in, and comes back
    await watchProgress(fileId)
    await card.getByTestId('attachment-download').click()
    await page.waitForFunction((quarter) => (window as unknown as { lastHeld: number }).lastHeld >= quarter, quarter, { timeout: 120_000, polling: 50 })
    await context.setOffline(true)
    await waitForMode(page, 'offline')
    const heldAtCut = await heldOnPage()
    const servedAtCut = served.count
    expect(heldBackAtQuarter).toBeGreaterThan(0)
    heldBackAtQuarter = -1
    linkCut()
    expect(heldAtCut).toBeGreaterThanOrEqual(quarter)
    expect(heldAtCut).toBeLessThan(damaged)
    expect(served.damaged).toBe(0)
    await context.setOffline(false)
    await waitForMode(page, 'department')

    // 2. it goes on from what it kept, up to the damaged chunk: refused, and the node asked nothing more for this
    // download (it damages only once, so had it been asked again the download would have finished, not failed)
    await waitFor('the damaged chunk served', () => served.damaged === 1, { timeoutMs: 120_000 })
    await page.locator(`[data-testid=attachment][data-file-id="${fileId}"][data-held=failed]`).waitFor({ timeout: 120_000 })
    const servedAtFailure = served.count
    const error = page.locator('[data-testid=error-message][data-error-name=FileUnavailableError]')
    await error.waitFor({ timeout: 10_000 })
    expect(await error.getByTestId('error-text').textContent()).toContain('What arrived is kept')
    await error.getByTestId('dismiss-error-button').click()
    const heldAtFailure = await heldOnPage()
    expect(heldAtFailure).toBeGreaterThan(heldAtCut)
    expect(heldAtFailure).toBeLessThan(total)
    // since the link came back the node served what was missing at the cut, not what the browser had kept
    expect(served.count - servedAtCut).toBeLessThanOrEqual(total - heldAtCut)

    // 3. Try again: the node is asked again, serves exactly the chunks still missing (the damaged one among them), and the file is whole
    await card.getByTestId('attachment-download').click()
    await page.locator(`[data-testid=attachment][data-file-id="${fileId}"][data-held=complete]`).waitFor({ timeout: 120_000 })
    expect(served.count - servedAtFailure).toBe(total - heldAtFailure)
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), card.getByTestId('attachment-save').click()])
    expect(Buffer.compare(await readFile(await download.path()), Buffer.from(bytes))).toBe(0)
    console.log(`20 MB file to a browser, ${total} chunks: ${heldAtCut} kept at the cut, ${heldAtFailure} when the damaged chunk ${damaged} was refused; the node served ${served.count} chunks in all`)

    // 4. the node's disk: ciphertext only
    ChunkStore.prototype.get = honestGet
    await department.node.stop()
    nodeStopped = true
    expect(await filesContaining(department.dataDir, MARKER)).toEqual([])
  }, 480_000)
})
