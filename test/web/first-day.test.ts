/**
 * Issue 10 in the browser, as an officer meets it on the first day: the
 * enrolment form opened from an invite link, a direct chat with an officer
 * whose device has not come online yet, errors in plain words, a group this
 * officer is removed from, and this device's access withdrawn. One real
 * department node, one Chromium page (Asha) and a Node.js device (Bala); the
 * steps share the mesh and run in order. docs/web.md, "Browser tests".
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { enrolDevice } from '../../node/src/device/enrol-device.js'
import { openDevice, type OpenDevice } from '../../node/src/device/open-device.js'
import type { IssuedInvite } from '../../bootstrap/src/index.js'
import { MESSAGE_TOO_LONG_TEXT } from '../../web/src/error-texts.js'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, launchChromium, screenshot, startDepartment, type Department } from './harness.js'
import { conversationItem, enrol, message, openConversation, openConversationId, send, waitForCaughtUp, waitForMessage } from './page.js'

/** Bounds a wait for something that crosses the department node; on loopback it takes well under a second. */
const CROSSING_MS = 30_000
/** Bala's device comes online while Asha's outbox backs off (2 s, 4 s, 8 s …): the join may wait for the next retry. */
const JOIN_MS = 60_000

let webRoot: string
let department: Department
let browser: Browser
let context: BrowserContext
let asha: Page
let ashaInvite: IssuedInvite
let bala: OpenDevice | undefined
let balaDir: string
let direct: string
let group: string

const balaDb = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(balaDir, 'db'), { valueEncoding: 'view' })

function openBala (): OpenDevice {
  if (bala === undefined) throw new Error('Bala\'s device is not open yet')
  return bala
}

/** The title and the line under it of the chat open on the page. */
async function chatHeader (page: Page): Promise<{ title: string, subtitle: string }> {
  const chat = page.getByTestId('chat')
  return { title: await chat.getByTestId('screen-title').innerText(), subtitle: await chat.getByTestId('screen-subtitle').innerText() }
}

beforeAll(async () => {
  webRoot = await buildWebClient()
  department = await startDepartment(webRoot)
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
  asha = await context.newPage()
  // Bala enrols his Node.js device now but opens it only later: until then
  // his device has never been online, as with an officer who has not yet
  // started Dak after enrolling.
  balaDir = await mkdtemp(join(tmpdir(), 'dak-bala-'))
  const balaInvite = await department.node.createInvite({ handle: 'bala', displayName: 'Bala Rao', title: 'Under Secretary' })
  await enrolDevice({ db: balaDb(), invite: balaInvite.code, nodeUrl: department.node.httpUrl })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await bala?.stop()
  await department?.stop()
  if (balaDir !== undefined) await rm(balaDir, { recursive: true, force: true })
  if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
})

describe('an officer\'s first day in the browser', () => {
  it('opens an invite link: the form shows the typed code and whom the invite is for', async () => {
    ashaInvite = await department.node.createInvite({ handle: 'asha', displayName: 'Asha Rao', title: 'Deputy Secretary' })
    await asha.goto(ashaInvite.link)
    await asha.getByTestId('enrol-invitee').waitFor()
    expect(await asha.getByTestId('enrol-code-input').inputValue()).toBe(ashaInvite.code)
    expect(ashaInvite.code).toMatch(/^DAK-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/)
    expect(await asha.getByTestId('enrol-invitee').innerText()).toContain('Invite for Asha Rao, Deputy Secretary')
    expect(asha.url()).not.toContain('invite=')
    await screenshot(asha, 'first-day-01-enrol-code')
    await enrol(asha)
    await waitForCaughtUp(asha)
  })

  it('refuses an invite used a second time in plain words, with the technical detail folded away', async () => {
    const other = await browser.newContext({ viewport: { width: 360, height: 740 } })
    try {
      const page = await other.newPage()
      await page.goto(ashaInvite.link)
      await page.getByTestId('enrol-invitee').waitFor()
      await page.getByTestId('enrol-button').click()
      const error = page.getByTestId('enrol-error')
      await error.waitFor({ timeout: CROSSING_MS })
      expect(await error.getAttribute('data-error-name')).toBe('InviteAlreadyUsedError')
      expect(await page.getByTestId('enrol-error-text').innerText())
        .toBe('This invite has already been used to enrol a device, and each invite works only once. Ask your department IT for a new one.')
      expect(await error.getByTestId('error-details').locator('code').isVisible()).toBe(false)
      await error.getByText('Details for department IT').click()
      expect(await error.getByTestId('error-details').locator('code').innerText()).toMatch(/^InviteAlreadyUsedError: /)
      await screenshot(page, 'first-day-02-invite-used')
    } finally {
      await other.close()
    }
  })

  it('starts a direct chat titled by the other officer, waiting for his device, with no "added" line', async () => {
    await asha.getByTestId('new-chat-button').click()
    await asha.locator('[data-testid=contact-item][data-handle=bala]').click({ timeout: CROSSING_MS })
    direct = await openConversationId(asha)

    await asha.getByTestId('waiting-note').waitFor({ timeout: CROSSING_MS })
    expect(await chatHeader(asha)).toEqual({ title: 'Bala Rao', subtitle: 'Waiting for Bala Rao’s device' })
    expect(await asha.getByTestId('waiting-note').innerText()).toMatch(/^Bala Rao’s device has not joined this chat yet\./)
    // a direct chat: verify the officer, no members panel
    expect(await asha.getByTestId('chat').getByTestId('safety-button').count()).toBe(1)
    expect(await asha.getByTestId('chat').getByTestId('members-button').count()).toBe(0)
    const item = conversationItem(asha, direct)
    expect(await item.innerText()).toContain('Bala Rao')
    expect(await item.innerText()).toContain('Waiting for Bala Rao’s device')
    expect(await message(asha, ' added ').count()).toBe(0)
    await send(asha, 'Are you in the office today?')
    await screenshot(asha, 'first-day-03-direct-waiting')

    // Bala's device comes online for the first time, joins, and gets the message.
    bala = await openDevice({ db: balaDb(), bootstrap: department.node.multiaddrs().filter(a => /\/tcp\/\d+\/p2p\//.test(a)) })
    const device = openBala()
    await waitFor('Bala received the message', async () => {
      const chats = await device.messenger.conversations()
      if (!chats.some(c => c.id === direct)) return false
      return (await device.messenger.history(direct)).messages.some(m => m.text === 'Are you in the office today?')
    }, { subscribe: (wake) => device.messenger.on('message', wake), timeoutMs: JOIN_MS })
    // …and on his side too the chat is titled by the other officer, without an "added" line
    const atBala = (await device.messenger.conversations()).find(c => c.id === direct)
    expect(atBala?.title).toBe('Asha Rao')
    expect((await device.messenger.history(direct)).messages.filter(m => m.kind === 'system' && m.text.includes(' added '))).toEqual([])

    await asha.getByTestId('waiting-note').waitFor({ state: 'detached', timeout: CROSSING_MS })
    expect(await chatHeader(asha)).toEqual({ title: 'Bala Rao', subtitle: 'Under Secretary, ' + department.node.department })
    await device.messenger.send(direct, 'Yes, in room 214 until five.')
    await waitForMessage(asha, 'in room 214 until five')
    expect(await message(asha, ' added ').count()).toBe(0)
    await screenshot(asha, 'first-day-04-direct-joined')
  })

  it('says in plain words that a message is too long, with the detail for IT behind a toggle', async () => {
    // protocol/src/constants.ts MAX_TEXT_BYTES is 32 KiB: a long paste goes over it
    await asha.getByTestId('composer-input').fill('Annexure text. '.repeat(2_300))
    await asha.getByTestId('send-button').click()
    const error = asha.getByTestId('error-message')
    await error.waitFor({ timeout: CROSSING_MS })
    expect(await error.getAttribute('data-error-name')).toBe('InvalidArgumentError')
    expect(await error.getByTestId('error-text').innerText()).toBe(MESSAGE_TOO_LONG_TEXT)
    await error.getByText('Details for department IT').click()
    expect(await error.getByTestId('error-details').locator('code').innerText()).toMatch(/^InvalidArgumentError: message text is longer than 32768 bytes/)
    await screenshot(asha, 'first-day-05-error-banner')
    await asha.getByTestId('dismiss-error-button').click()
    expect(await asha.getByTestId('error-message').count()).toBe(0)
    await asha.getByTestId('composer-input').fill('')
  })

  it('shows a group she was removed from as closed: its history, who removed her, and no composer', async () => {
    const device = openBala()
    group = (await device.messenger.createGroup('Audit review', ['asha'])).id
    await conversationItem(asha, group).waitFor({ timeout: JOIN_MS })
    await openConversation(asha, group)
    await device.messenger.send(group, 'Draft audit notes are in the shared folder.')
    await waitForMessage(asha, 'Draft audit notes are in the shared folder.')

    await device.messenger.removeMember(group, 'asha')
    await asha.getByTestId('closed-note').waitFor({ timeout: CROSSING_MS })
    expect(await asha.getByTestId('closed-note').innerText()).toMatch(/^You were removed by Bala Rao\./)
    expect(await asha.getByTestId('composer-input').count()).toBe(0)
    expect(await conversationItem(asha, group).getAttribute('data-state')).toBe('closed')
    // the history stays readable
    await waitForMessage(asha, 'Draft audit notes are in the shared folder.')
    await screenshot(asha, 'first-day-06-removed-from-group')
  })

  it('tells her on a full page when her device\'s access is withdrawn, and sends nothing after', async () => {
    await openConversation(asha, direct)
    await department.node.revoke({ handle: 'asha' })
    const notice = asha.getByTestId('access-ended')
    await notice.waitFor({ timeout: CROSSING_MS })
    expect(await notice.getAttribute('data-access')).toBe('revoked')
    expect(await asha.getByTestId('access-ended-text').innerText()).toMatch(/^This device’s access was withdrawn by your department, .* Ask your department IT/)
    await screenshot(asha, 'first-day-07-access-withdrawn')

    await asha.getByTestId('read-history-button').click()
    await asha.getByTestId('access-ended-bar').waitFor()
    await waitForMessage(asha, 'in room 214 until five')
    expect(await asha.getByTestId('composer-input').count()).toBe(0)
    expect(await asha.getByTestId('new-chat-button').count()).toBe(0)
    await screenshot(asha, 'first-day-08-read-only-history')

    // and it still says so after a reload, before anything else
    await asha.reload()
    await asha.getByTestId('access-ended').waitFor({ timeout: CROSSING_MS })
    expect(await asha.getByTestId('composer-input').count()).toBe(0)
  })
})
