import { rm } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { buildWebClient, FAKE_MEDIA_ARGS, launchChromium, startDepartment, type Department } from './harness.js'
import { conversationItem, enrol, openConversation, openConversationId, waitForMode } from './page.js'

/**
 * The group-call tests' set-up: three officers' pages (fake media), a group
 * "Flood relief" made by Asha with `members` (Ravi and Bala unless told) and
 * open on each member's page.
 */
export interface GroupOfThree {
  pages: Record<'asha' | 'ravi' | 'bala', Page>
  group: string
  stop: () => Promise<void>
}

export async function groupOfThree (members: ReadonlyArray<'ravi' | 'bala'> = ['ravi', 'bala']): Promise<GroupOfThree> {
  let webRoot: string | undefined
  let department: Department | undefined
  let browser: Browser | undefined
  const stop = async (): Promise<void> => {
    await browser?.close()
    await department?.stop()
    if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
  }
  try {
    webRoot = await buildWebClient()
    department = await startDepartment(webRoot)
    browser = await launchChromium({ args: FAKE_MEDIA_ARGS })
    const pages = {} as GroupOfThree['pages']
    for (const [handle, name] of [['ravi', 'Ravi Kumar'], ['bala', 'Bala Iyer'], ['asha', 'Asha Rao']] as const) {
      const page = await (await browser.newContext({ viewport: { width: 1000, height: 760 } })).newPage()
      const invite = await department.node.createInvite({ handle, displayName: name, title: 'Officer' })
      await page.goto(department.node.httpUrl)
      await enrol(page, invite.code)
      pages[handle] = page
    }
    // enrolled before Asha: reload so each knows the others from the node's directory
    await pages.ravi.reload()
    await pages.bala.reload()
    for (const page of Object.values(pages)) await waitForMode(page, 'department')
    await pages.asha.getByTestId('new-group-button').click()
    await pages.asha.getByTestId('group-title-input').fill('Flood relief')
    for (const who of members) await pages.asha.locator(`[data-testid=member-checkbox][value=${who}]`).check()
    await pages.asha.getByTestId('create-group-button').click()
    const group = await openConversationId(pages.asha)
    for (const who of members) {
      await conversationItem(pages[who], group).waitFor({ state: 'attached', timeout: 30_000 })
      await openConversation(pages[who], group)
    }
    return { pages, group, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
