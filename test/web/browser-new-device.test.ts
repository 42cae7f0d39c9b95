/**
 * Issue 16 part 1, the other way round from link-device.test.ts: the new
 * device is a browser. Mehta's Node.js device asks the department node for a
 * link code; a fresh browser enrols with it on the ordinary enrolment form, as
 * Mehta; her Node.js device vouches for the key the browser shows under *My
 * devices*; the browser then joins her chat with Ravi (whose tab is open in
 * another browser context), reads him and writes to him, and what it writes
 * shows on her Node.js device as her own; removed by that device, it reads
 * nothing Ravi writes after. What was written before the browser
 * existed comes to it from her Node.js device (history transfer), sealed to
 * the browser. Real Chromium, a real department node, real level stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { waitFor } from '../helpers/wait.js'
import { openDeskAndField, type DeskAndFieldWorld } from './desk-and-field-world.js'
import { conversationItem, enrol, message, openConversation, send, waitForCaughtUp, waitForMessage } from './page.js'

let world: DeskAndFieldWorld | undefined
let mehtaTab: Page | undefined

beforeAll(async () => { world = await openDeskAndField() }, 180_000)
afterAll(async () => {
  await mehtaTab?.context().close().catch(() => {})
  await world?.stop()
})

describe('a browser as an officer\'s new device', () => {
  it('enrols with the link code her other device got, is vouched for by its key, and joins her chat', async () => {
    if (world === undefined) throw new Error('the world did not start')
    const { page: raviTab, mehta, direct, department, browser } = world

    // written before the browser existed: it can only come to the browser from her Node.js device
    await mehta.messenger.send(direct, 'Written before the browser was enrolled.')
    // Mehta's Node.js device asks for a one-time link code
    const link = await mehta.messenger.linkDevice()
    expect(link.handle).toBe('mehta')
    expect(link.code).toMatch(/^DAK-/)

    // a browser nobody has used enrols with it on the ordinary form, as Mehta
    mehtaTab = await (await browser.newContext({ viewport: { width: 1000, height: 740 } })).newPage()
    await mehtaTab.goto(department.node.httpUrl)
    await enrol(mehtaTab, link.code)
    await waitForCaughtUp(mehtaTab)
    expect(await mehtaTab.evaluate(() => window.__dak?.errors ?? [])).toEqual([])

    // the key it shows for itself under My devices is what Mehta confirms on her other device
    await mehtaTab.getByTestId('my-devices-button').click()
    const self = mehtaTab.locator('[data-testid=my-devices] [data-this-device=true]')
    await self.waitFor({ timeout: 30_000 })
    const tabKey = await self.getAttribute('data-device-key') ?? ''
    expect(tabKey).toMatch(/^[0-9a-f]{64}$/)
    expect(tabKey).not.toBe(mehta.messenger.whoami().deviceKey)
    const outcome = await mehta.messenger.vouchDevice(tabKey.slice(0, 16))
    expect(outcome.conversations).toBe(1)

    // the chat with Ravi comes to the tab; it reads Ravi and writes to him
    await conversationItem(mehtaTab, direct).waitFor({ timeout: 60_000 })
    await openConversation(raviTab, direct)
    await send(raviTab, 'To both of your devices, Mehta.')
    await openConversation(mehtaTab, direct)
    await waitForMessage(mehtaTab, 'To both of your devices, Mehta.')
    // the history came from her Node.js device: her own earlier text, shown as hers from another device
    await waitForMessage(mehtaTab, 'Written before the browser was enrolled.')
    expect(await message(mehtaTab, 'Written before the browser was enrolled.').getAttribute('class')).toContain('mine')
    // and nothing is left saying it is still on its way
    await mehtaTab.getByTestId('history-transfer').waitFor({ state: 'detached', timeout: 30_000 })
    await waitFor('her node device read ravi', async () => (await mehta.messenger.history(direct)).messages.some(m => m.text === 'To both of your devices, Mehta.'),
      { subscribe: (wake) => mehta.messenger.on('message', wake), timeoutMs: 30_000 })

    await send(mehtaTab, 'Written in my browser.')
    await waitForMessage(raviTab, 'Written in my browser.')
    expect(await message(raviTab, 'Written in my browser.').getAttribute('class')).not.toContain('mine')
    // on her Node.js device it is her own message from another device, never unread
    await waitFor('her node device has the browser\'s text', async () => (await mehta.messenger.history(direct)).messages.some(m => m.text === 'Written in my browser.'),
      { subscribe: (wake) => mehta.messenger.on('message', wake), timeoutMs: 30_000 })
    const atNode = (await mehta.messenger.history(direct)).messages.find(m => m.text === 'Written in my browser.')
    expect(atNode).toMatchObject({ fromMyOtherDevice: true, state: 'read' })

    // her Node.js device removes the browser: its chat closes, and what Ravi writes after never shows there
    expect(await mehta.messenger.removeOwnDevice(tabKey.slice(0, 16))).toMatchObject({ conversations: 1 })
    await mehtaTab.getByTestId('closed-note').waitFor({ timeout: 60_000 })
    await waitFor('ravi\'s chat no longer has the browser', async () => !(await mehta.messenger.conversations()).find(c => c.id === direct)?.members.some(m => m.deviceKey === tabKey),
      { subscribe: (wake) => mehta.messenger.on('conversation', wake), timeoutMs: 30_000 })
    await send(raviTab, 'After your browser was removed.')
    await waitFor('her node device reads ravi', async () => (await mehta.messenger.history(direct)).messages.some(m => m.text === 'After your browser was removed.'),
      { subscribe: (wake) => mehta.messenger.on('message', wake), timeoutMs: 30_000 })
    expect(await mehtaTab.evaluate(async (id) => await window.__dak?.storedTexts(id), direct)).not.toContain('After your browser was removed.')
    expect(await message(mehtaTab, 'After your browser was removed.').count()).toBe(0)
  }, 300_000)
})
