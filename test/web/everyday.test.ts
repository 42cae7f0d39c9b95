/**
 * Issue 16 in the browser: a real department node, Asha in Chromium, Bala and
 * Chitra as Node.js devices in one group. Replies with quotes, edits and
 * deletions, "read by N of M", a directive sent from the page and its status
 * panel, a directive acknowledged with the page's button, precedence (a flash
 * message chosen in the composer, badges), search (Urdu and English), a draft
 * that survives a reload, mute. docs/web.md, "Browser tests".
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { enrolDevice } from '../../node/src/device/enrol-device.js'
import { openDevice, type OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, launchChromium, screenshot, startDepartment, type Department } from './harness.js'
import { conversationItem, enrol, message, openConversation, send, waitForCaughtUp, waitForMessage } from './page.js'

const CROSSING_MS = 30_000

let webRoot: string
let department: Department
let browser: Browser
let asha: Page
const devices: OpenDevice[] = []
const dirs: string[] = []
let bala: OpenDevice
let chitra: OpenDevice
let group: string

async function nodeOfficer (handle: string, displayName: string): Promise<OpenDevice> {
  const dir = await mkdtemp(join(tmpdir(), `dak-${handle}-`))
  dirs.push(dir)
  const db = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' })
  const invite = await department.node.createInvite({ handle, displayName, title: 'Section Officer' })
  await enrolDevice({ db: db(), invite: invite.code, nodeUrl: department.node.httpUrl })
  const device = await openDevice({ db: db(), bootstrap: department.node.multiaddrs().filter(a => /\/tcp\/\d+\/p2p\//.test(a)) })
  devices.push(device)
  return device
}

async function historyAt (device: OpenDevice, text: string) {
  return (await device.messenger.history(group, { limit: 200 })).messages.find(m => m.text === text)
}

beforeAll(async () => {
  webRoot = await buildWebClient()
  department = await startDepartment(webRoot)
  browser = await launchChromium()
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
  asha = await context.newPage()
  asha.on('dialog', (dialog) => { void dialog.accept() })
  const invite = await department.node.createInvite({ handle: 'asha', displayName: 'Asha Rao', title: 'Deputy Secretary' })
  await asha.goto(invite.link)
  await enrol(asha)
  await waitForCaughtUp(asha)
  bala = await nodeOfficer('bala', 'Bala Iyer')
  chitra = await nodeOfficer('chitra', 'Chitra Das')
  for (const d of devices) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: CROSSING_MS })
  await waitFor('bala knows asha and chitra', async () => (await bala.messenger.contacts()).length >= 2, { timeoutMs: CROSSING_MS })
  group = (await bala.messenger.createGroup('Flood relief', ['asha', 'chitra'])).id
  await conversationItem(asha, group).waitFor({ timeout: 60_000 })
  await waitFor('chitra joined', async () => (await chitra.messenger.conversations()).some(c => c.id === group), { timeoutMs: 60_000 })
}, 240_000)

afterAll(async () => {
  await browser?.close()
  for (const d of devices) await d.stop().catch(() => {})
  await department?.stop()
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
})

describe('everyday messaging in the browser', () => {
  it('replies with a quote; edits and deletes its own messages; shows read by N of M', async () => {
    await openConversation(asha, group)
    await bala.messenger.send(group, 'The relief meeting moves to 3 pm')
    await waitForMessage(asha, 'The relief meeting moves to 3 pm')
    await message(asha, 'The relief meeting moves to 3 pm').getByTestId('reply-button').click()
    await asha.getByTestId('replying-note').waitFor()
    await send(asha, 'I will be there')
    const reply = await waitFor('the reply at bala', async () => await historyAt(bala, 'I will be there'), { timeoutMs: CROSSING_MS })
    expect(reply.replyTo).toMatchObject({ text: 'The relief meeting moves to 3 pm', sender: 'Bala Iyer' })
    expect(await message(asha, 'I will be there').getByTestId('message-quote').innerText()).toContain('The relief meeting moves to 3 pm')

    await send(asha, 'Tents: 40')
    await message(asha, 'Tents: 40').getByTestId('edit-button').click({ timeout: CROSSING_MS })
    await asha.getByTestId('editing-note').waitFor()
    await asha.getByTestId('composer-input').fill('Tents: 45')
    await asha.getByTestId('send-button').click()
    await message(asha, 'Tents: 45').getByTestId('message-edited').waitFor({ timeout: CROSSING_MS })
    await waitFor('the edit at bala', async () => (await historyAt(bala, 'Tents: 45'))?.editedAt != null, { timeoutMs: CROSSING_MS })

    await send(asha, 'Wrong group, sorry')
    await message(asha, 'Wrong group, sorry').getByTestId('delete-button').click({ timeout: CROSSING_MS })
    await asha.getByTestId('message-deleted').waitFor({ timeout: CROSSING_MS })
    expect(await message(asha, 'Wrong group, sorry').count()).toBe(0)
    await waitFor('the deletion at chitra', async () => (await chitra.messenger.history(group)).messages.some(m => m.deletedAt != null), { timeoutMs: CROSSING_MS })

    // both others read: "Read by 2 of 2" under Asha's message
    await bala.messenger.markRead(group)
    await chitra.messenger.markRead(group)
    await message(asha, 'Tents: 45').getByText('Read by 2 of 2').waitFor({ timeout: CROSSING_MS })
    await screenshot(asha, 'everyday-01-reply-edit-delete')
  })

  it('sends a directive with a deadline and shows who acknowledged, read or received it', async () => {
    await asha.getByTestId('directive-toggle').check()
    await asha.getByTestId('directive-deadline').fill('2099-01-01T10:00')
    await send(asha, 'Open two more camps in Sector 4')
    const atBala = await waitFor('the directive at bala', async () => await historyAt(bala, 'Open two more camps in Sector 4'), { timeoutMs: CROSSING_MS })
    expect(atBala.directive?.deadline).toBe(new Date('2099-01-01T10:00').getTime())
    await bala.messenger.acknowledgeDirective(group, atBala.id)
    await message(asha, 'Open two more camps in Sector 4').getByTestId('directive-status-button').click({ timeout: CROSSING_MS })
    const panel = asha.getByTestId('directive-status')
    await panel.locator('[data-testid=directive-addressee][data-handle=bala][data-state=acknowledged]').waitFor({ timeout: CROSSING_MS })
    await panel.locator('[data-testid=directive-addressee][data-handle=chitra][data-state=delivered]').waitFor({ timeout: CROSSING_MS })
    await chitra.messenger.markRead(group)
    await panel.locator('[data-testid=directive-addressee][data-handle=chitra][data-state=read]').waitFor({ timeout: CROSSING_MS })
    expect(await panel.getByTestId('directive-counts').innerText()).toMatch(/^1 acknowledged · 1 read, not acknowledged · 0 received, not read · 0 not received/)
    await screenshot(asha, 'everyday-02-directive-status')
    await panel.getByTestId('directive-status-close').click()
  })

  // issue 11 part 4: precedence chosen in the composer, a badge on the message at both ends
  it('sends a flash message chosen in the composer and badges flash and immediate messages', async () => {
    await openConversation(asha, group)
    await asha.getByTestId('precedence-select').selectOption('flash')
    await send(asha, 'Bridge on NH-44 closed')
    const atBala = await waitFor('the flash at bala', async () => await historyAt(bala, 'Bridge on NH-44 closed'), { timeoutMs: CROSSING_MS })
    expect(atBala.precedence).toBe('flash')
    const mine = message(asha, 'Bridge on NH-44 closed')
    expect(await mine.getAttribute('data-precedence')).toBe('flash')
    expect(await mine.getByTestId('precedence-badge').innerText()).toMatch(/flash/i)
    // back to routine for the next message
    expect(await asha.getByTestId('precedence-select').inputValue()).toBe('routine')

    await bala.messenger.send(group, 'Convoy leaves at 6', { precedence: 'immediate' })
    await waitForMessage(asha, 'Convoy leaves at 6')
    expect(await message(asha, 'Convoy leaves at 6').getByTestId('precedence-badge').innerText()).toMatch(/immediate/i)
    await bala.messenger.send(group, 'Routine update')
    await waitForMessage(asha, 'Routine update')
    expect(await message(asha, 'Routine update').getByTestId('precedence-badge').count()).toBe(0)
    await screenshot(asha, 'everyday-03-precedence')
  })

  it('acknowledges a received directive with its button', async () => {
    await bala.messenger.sendDirective(group, 'Report stock levels by evening')
    await waitForMessage(asha, 'Report stock levels by evening')
    const bubble = message(asha, 'Report stock levels by evening')
    expect(await bubble.getAttribute('data-directive')).toBe('true')
    await bubble.getByTestId('acknowledge-button').click({ timeout: CROSSING_MS })
    await bubble.getByTestId('acknowledged').waitFor({ timeout: CROSSING_MS })
    const id = (await historyAt(bala, 'Report stock levels by evening'))?.id as string
    await waitFor('asha acknowledged at bala', async () => (await bala.messenger.directiveStatus(id)).addressees.find(a => a.officer.handle === 'asha')?.state === 'acknowledged', { timeoutMs: CROSSING_MS })
  })

  it('searches this device in Urdu and English', async () => {
    await bala.messenger.send(group, 'راشن کی فہرست تیار ہے')
    await waitForMessage(asha, 'راشن کی فہرست تیار ہے')
    await asha.getByTestId('search-input').fill('فہرست')
    await asha.getByTestId('search-button').click()
    await asha.getByTestId('search-hit').filter({ hasText: 'راشن کی فہرست تیار ہے' }).waitFor()
    await asha.getByTestId('search-input').fill('TENTS')
    await asha.getByTestId('search-button').click()
    await asha.getByTestId('search-hit').filter({ hasText: 'Tents: 45' }).waitFor()
    await asha.getByTestId('search-input').fill('nothing like this')
    await asha.getByTestId('search-button').click()
    await asha.getByTestId('search-empty').waitFor()
  })

  it('mute hides the unread badge; keeps a draft across a reload', async () => {
    await openConversation(asha, group)
    await asha.getByTestId('mute-conversation-button').click()
    await conversationItem(asha, group).getByTestId('muted-mark').waitFor({ timeout: CROSSING_MS })
    // away from the chat, a new message is unread but shows no badge
    await asha.getByTestId('new-chat-button').click()
    await bala.messenger.send(group, 'One more thing')
    await asha.locator(`[data-testid=conversation-item][data-conversation-id="${group}"]:not([data-unread="0"])`).waitFor({ timeout: CROSSING_MS })
    expect(await conversationItem(asha, group).getByTestId('unread-badge').count()).toBe(0)
    await screenshot(asha, 'everyday-03-muted')

    // opening it offers the jump to the first unread message, which brings it into view
    await openConversation(asha, group)
    await asha.getByTestId('jump-unread-button').click({ timeout: CROSSING_MS })
    await asha.getByTestId('jump-unread-button').waitFor({ state: 'detached', timeout: CROSSING_MS })
    expect(await message(asha, 'One more thing').isVisible()).toBe(true)

    // a draft survives a reload (live texts after a reload: docs/web.md, *Known problems*)
    await asha.getByTestId('composer-input').fill('Half-written note about the camps')
    // the draft is saved a moment after typing stops: wait for the device store to have it
    await waitFor('draft saved', async () => await asha.evaluate(async (id) => await window.__dak?.draft(id), group) === 'Half-written note about the camps', { timeoutMs: 10_000 })
    await asha.reload()
    await waitForCaughtUp(asha)
    await openConversation(asha, group)
    expect(await asha.getByTestId('composer-input').inputValue()).toBe('Half-written note about the camps')
    expect(await conversationItem(asha, group).getByTestId('muted-mark').count()).toBe(1)
  })
})
