/**
 * Issue 10, item 1, in the browser: every time a page opens the device it
 * connects to the department node, tops up its key packages there and
 * catches up. A tab reloaded many times must still catch up what was sent
 * while it was closed, with no error on the way. (Before the fix, from about
 * the 14th load the key-package upload hit the node's per-device limit, the
 * catch-up was skipped, and a red banner showed the node's quota message.)
 */
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, launchChromium, screenshot, startDepartment, type Department } from './harness.js'
import { deskAndField } from './desk-and-field.js'
import { openConversation, waitForCaughtUp, waitForMessage } from './page.js'

/** As many loads as issue 10 asks for: well past the ~13 at which the node's limit used to be reached. */
const RELOADS = 50
/** Bounds the whole loop; one load (open the device, connect, top up, catch up) takes a few seconds at most here. */
const RELOADS_MS = 8 * 60_000

let webRoot: string
let department: Department
let browser: Browser
let context: BrowserContext
let page: Page
let mehta: OpenDevice
let stopMehta: (() => Promise<void>) | undefined
let direct: string

beforeAll(async () => {
  webRoot = await buildWebClient()
  department = await startDepartment(webRoot)
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 360, height: 740 } })
  page = await context.newPage()

  ;({ mehta, direct, stop: stopMehta } = await deskAndField(department, page))
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await stopMehta?.()
  await department?.stop()
  if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
})

describe('a browser tab reloaded many times', () => {
  // Skipped at stop 19 after a reload did not finish its catch-up within 30 s on a machine loaded by
  // five helpers; it passed 3 runs of 3 at f8fff12 with four helpers loading the machine.
  it(`still catches up what was sent while it was closed, after ${RELOADS} reloads`, async () => {
    const deadline = Date.now() + RELOADS_MS
    for (let load = 1; load <= RELOADS; load++) {
      await page.reload()
      await waitForCaughtUp(page)
      const errors = await page.evaluate(() => window.__dak?.errors ?? [])
      expect(errors, `errors the device reported on load ${load}`).toEqual([])
      expect(Date.now(), `${RELOADS} reloads within ${RELOADS_MS / 60_000} minutes (at load ${load})`).toBeLessThan(deadline)
    }

    // The tab is closed; Mehta writes, and the department node keeps it for Ravi.
    await page.close()
    const text = 'The revised circular is out; please read it before the meeting.'
    const sent = await mehta.messenger.send(direct, text)
    await waitFor('the message stored at the department node', async () =>
      (await mehta.messenger.history(direct)).messages.some(m => m.text === text && ['stored', 'delivered', 'read'].includes(m.state)),
    { subscribe: (wake) => mehta.messenger.on('message-state', wake), timeoutMs: 30_000 })
    expect(sent.text).toBe(text)

    // Opened once more (the 52nd load of this device), the tab shows it, with no error.
    page = await context.newPage()
    await page.goto(department.node.httpUrl)
    await waitForCaughtUp(page)
    await openConversation(page, direct)
    await waitForMessage(page, text)
    expect(await page.evaluate(() => window.__dak?.errors ?? [])).toEqual([])
    expect(await page.getByTestId('error-message').count()).toBe(0)
    await screenshot(page, 'reloads-caught-up')
  }, RELOADS_MS + 120_000)
})
