/**
 * A group call of three browsers (a mesh: every page connects to both
 * others), docs/calls.md. Real Chromium with fake media, a real department
 * node on loopback.
 */
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, FAKE_MEDIA_ARGS, launchChromium, startDepartment, type Department } from './harness.js'
import { conversationItem, enrol, message, openConversation, openConversationId, waitForMode } from './page.js'
import { callStats, phase } from './call-page.js'

let webRoot: string
let department: Department
let browser: Browser
const pages: Record<'asha' | 'ravi' | 'bala', Page> = {} as never
let group: string

beforeAll(async () => {
  webRoot = await buildWebClient()
  department = await startDepartment(webRoot)
  browser = await launchChromium({ args: FAKE_MEDIA_ARGS })
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
  await pages.asha.locator('[data-testid=member-checkbox][value=ravi]').check()
  await pages.asha.locator('[data-testid=member-checkbox][value=bala]').check()
  await pages.asha.getByTestId('create-group-button').click()
  group = await openConversationId(pages.asha)
  for (const who of ['ravi', 'bala'] as const) {
    await conversationItem(pages[who], group).waitFor({ state: 'attached', timeout: 30_000 })
    await openConversation(pages[who], group)
  }
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await department?.stop()
  if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
})

describe('a group call', () => {
  it('connects every page to both others, and each decodes both', async () => {
    await pages.asha.getByTestId('call-video-button').click()
    for (const who of ['ravi', 'bala'] as const) {
      await pages[who].getByTestId('incoming-call').waitFor({ timeout: 20_000 })
      expect(await pages[who].getByTestId('call-status').textContent()).toContain('is calling you (video)')
    }
    await pages.ravi.getByTestId('accept-call-button').click()
    await pages.bala.getByTestId('accept-call-button').click()
    for (const [who, page] of Object.entries(pages)) {
      await waitFor(`${who} decodes both others`, async () => {
        const stats = await callStats(page)
        return stats.length === 2 && stats.every(s => s.framesDecoded > 0 && s.audioBytesReceived > 0)
      }, { timeoutMs: 60_000 })
      expect(await page.evaluate(() => window.__dak!.calls!.linkStates())).toEqual(['connected', 'connected'])
      expect((await page.evaluate(async () => await window.__dak!.calls!.frames())).counters.dropped).toBe(0)
    }
  })

  it('one leaving ends only their links; the last two hanging up ends the call', async () => {
    await pages.bala.getByTestId('hang-up-button').click()
    await pages.bala.getByTestId('call-panel').waitFor({ state: 'detached', timeout: 20_000 })
    for (const who of ['asha', 'ravi'] as const) {
      await waitFor(`${who} down to one link`, async () => (await callStats(pages[who])).length === 1, { timeoutMs: 20_000 })
      expect(await phase(pages[who])).toBe('active')
    }
    await pages.asha.getByTestId('hang-up-button').click()
    await pages.ravi.getByTestId('call-panel').waitFor({ state: 'detached', timeout: 20_000 })
    expect(await phase(pages.ravi)).toBeNull()
    await message(pages.bala, 'Incoming video call ·').waitFor({ timeout: 20_000 })
    await message(pages.asha, 'Outgoing video call ·').waitFor({ timeout: 20_000 })
  })
})
