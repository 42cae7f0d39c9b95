import { rm } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { buildWebClient, launchChromium, startDepartment, type Department } from './harness.js'
import { deskAndField, type DeskAndField } from './desk-and-field.js'

export interface DeskAndFieldWorld extends DeskAndField {
  department: Department
  browser: Browser
  /** Ravi's page, enrolled and listing the direct conversation with Mehta. */
  page: Page
}

/**
 * Everything a desk-and-field browser test starts (a fresh web build, a
 * department node, Chromium, Ravi's page and Mehta's device: deskAndField),
 * with one stop that undoes it all, newest first, also after a failed start.
 */
export async function openDeskAndField (viewport = { width: 1000, height: 740 }, options: { browserArgs?: string[] } = {}): Promise<DeskAndFieldWorld> {
  const undo: Array<() => Promise<void>> = []
  const stop = async (): Promise<void> => {
    for (const step of undo.reverse()) await step().catch(() => {})
  }
  try {
    const webRoot = await buildWebClient()
    undo.push(async () => { await rm(webRoot, { recursive: true, force: true }) })
    const department = await startDepartment(webRoot)
    undo.push(async () => { await department.stop() })
    const browser = await launchChromium(options.browserArgs != null ? { args: options.browserArgs } : {})
    undo.push(async () => { await browser.close() })
    const page = await (await browser.newContext({ viewport })).newPage()
    const field = await deskAndField(department, page)
    undo.push(field.stop)
    return { ...field, department, browser, page, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
