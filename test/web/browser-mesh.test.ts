/**
 * The browser as a real mesh peer: two Chromium contexts and a Node.js device
 * enrolled with a real department node, which also serves the web client.
 * Everything runs on loopback. The steps share one mesh and run in order.
 * docs/web.md, "Browser tests".
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
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, launchChromium, screenshot, startDepartment, type Department } from './harness.js'
import {
  connections, conversationItem, directWebRTC, enrol, message, openConversation, openConversationId, peerId, send,
  waitForMessage, waitForMode, waitForSubscriber
} from './page.js'

let webRoot: string
let department: Department
let browser: Browser
let asha: { context: BrowserContext, page: Page }
let ravi: { context: BrowserContext, page: Page }
let mehta: OpenDevice
let mehtaDir: string
let direct: string
let group: string

async function officerPage (viewport: { width: number, height: number }): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport })
  return { context, page: await context.newPage() }
}

async function invite (handle: string, displayName: string, title: string): Promise<IssuedInvite> {
  return await department.node.createInvite({ handle, displayName, title })
}

/** Resolves when the Node.js device's messenger emits a message with `text`. */
function mehtaReceives (text: string): Promise<unknown> {
  return waitFor(`"${text}" at mehta`, async () => (await mehta.messenger.history(group)).messages.some(m => m.text === text && !m.fromMe),
    { subscribe: (wake) => mehta.messenger.on('message', wake) })
}

beforeAll(async () => {
  webRoot = await buildWebClient()
  department = await startDepartment(webRoot)
  browser = await launchChromium()
  asha = await officerPage({ width: 1100, height: 720 })
  // a phone-sized screen, as many officers will have
  ravi = await officerPage({ width: 360, height: 740 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await mehta?.stop()
  await department?.stop()
  if (mehtaDir !== undefined) await rm(mehtaDir, { recursive: true, force: true })
  if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
})

describe('the browser as a mesh peer', () => {
  it('enrols one browser from an invite link and one from a typed code; a Node.js device enrols too', async () => {
    // Mehta's Node.js device enrols first and opens last, Ravi enrols before
    // Asha and then reloads. Officers enrolled later reach devices already
    // online on the department's officers topic (test/messenger/new-officer.test.ts);
    // this order keeps this test about the browser.
    mehtaDir = await mkdtemp(join(tmpdir(), 'dak-mehta-'))
    const mehtaDb = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(mehtaDir, 'db'), { valueEncoding: 'view' })
    const mehtaInvite = await invite('mehta', 'Meera Mehta', 'Deputy Secretary')
    await enrolDevice({ db: mehtaDb(), invite: mehtaInvite.code, nodeUrl: department.node.httpUrl })

    const raviInvite = await invite('ravi', 'Ravi Kumar', 'Section Officer')
    await ravi.page.goto(raviInvite.link)
    // the link fills the form but does not enrol by itself
    await ravi.page.getByTestId('enrol-invitee').waitFor()
    expect(await ravi.page.getByTestId('enrol-code-input').inputValue()).toBe(raviInvite.code)
    expect(ravi.page.url()).not.toContain('invite=')
    await screenshot(ravi.page, '01-enrol-from-link')
    await enrol(ravi.page)

    const ashaInvite = await invite('asha', 'Asha Rao', 'Under Secretary')
    await asha.page.goto(department.node.httpUrl)
    await enrol(asha.page, ashaInvite.code)
    await ravi.page.reload()

    mehta = await openDevice({ db: mehtaDb(), bootstrap: department.node.multiaddrs().filter(a => /\/tcp\/\d+\/p2p\//.test(a)) })
    await waitForMode(asha.page, 'department')
    await waitForMode(ravi.page, 'department')
    await waitFor('mehta online', () => mehta.messenger.status().mode === 'department', { subscribe: (wake) => mehta.messenger.on('status', wake) })
    await screenshot(asha.page, '02-chats-empty')
  })

  it('starts a 1:1 chat and both browsers talk over a direct WebRTC connection', async () => {
    await asha.page.getByTestId('new-chat-button').click()
    await asha.page.locator('[data-testid=contact-item][data-handle=ravi]').waitFor()
    await screenshot(asha.page, '03-new-chat')
    await asha.page.locator('[data-testid=contact-item][data-handle=ravi]').click()
    direct = await openConversationId(asha.page)

    // The browsers dial each other over WebRTC, with the department node's
    // relay carrying only the offer and answer. Either may dial first: Asha's
    // knows Ravi from the moment the chat exists (he is listed while awaited),
    // Ravi's once the Welcome arrives.
    const ashaPeer = await peerId(asha.page)
    const raviPeer = await peerId(ravi.page)
    await waitForSubscriber(asha.page, direct, raviPeer)
    await waitForSubscriber(ravi.page, direct, ashaPeer)
    const atAsha = directWebRTC(await connections(asha.page), raviPeer)
    const atRavi = directWebRTC(await connections(ravi.page), ashaPeer)
    expect(atAsha).not.toHaveLength(0)
    expect(atRavi).not.toHaveLength(0)
    // the answering side names the connection by WebRTC alone, with no /p2p-circuit in it
    expect(atAsha.some(c => c.address === `/webrtc/p2p/${raviPeer}`) || atRavi.some(c => c.address === `/webrtc/p2p/${ashaPeer}`)).toBe(true)

    await send(asha.page, 'Good morning, Ravi. The budget note is due today.')
    await openConversation(ravi.page, direct)
    await waitForMessage(ravi.page, 'The budget note is due today.')
    await send(ravi.page, 'Morning! I will send the draft by noon.')
    await waitForMessage(asha.page, 'I will send the draft by noon.')
    // Ravi has the chat open, so Asha's message is read and the receipt comes back
    await waitForMessage(asha.page, 'The budget note is due today.', 'read')
    await screenshot(asha.page, '04-direct-chat')
    await screenshot(ravi.page, '05-direct-chat-phone')
  })

  it('makes a group with the Node.js device and all three read each other', async () => {
    await asha.page.getByTestId('new-group-button').click()
    await asha.page.getByTestId('group-title-input').fill('Budget cell')
    await asha.page.locator('[data-testid=member-checkbox][value=ravi]').check()
    await asha.page.locator('[data-testid=member-checkbox][value=mehta]').check()
    await screenshot(asha.page, '06-new-group')
    await asha.page.getByTestId('create-group-button').click()
    group = await openConversationId(asha.page)

    // attached, not visible: on Ravi's phone-sized screen the open chat covers the list
    await conversationItem(ravi.page, group).waitFor({ state: 'attached', timeout: 20_000 })
    await waitFor('mehta joined', async () => (await mehta.messenger.conversations()).some(c => c.id === group),
      { subscribe: (wake) => mehta.messenger.on('conversation', wake) })
    // The Node.js device has no WebRTC listener, so its messages go through
    // the node: wait until the node's gossip mesh for the group holds all
    // three (a device just added does not yet catch up what it missed).
    const members = [await peerId(asha.page), await peerId(ravi.page), mehta.libp2p.peerId.toString()]
    // getMeshPeers is on gossipsub's class, not on its exported interface
    const pubsub = department.node.libp2p.services.pubsub as unknown as { getMeshPeers: (topic: string) => string[] }
    await waitFor('group mesh at the node', () => members.every(p => pubsub.getMeshPeers(group).includes(p)), { timeoutMs: 30_000 })

    await mehta.messenger.send(group, 'Noted. Please copy me on the final figures.')
    await waitForMessage(asha.page, 'Please copy me on the final figures.')
    const atMehta = mehtaReceives('Final figures attached.')
    await send(asha.page, 'Final figures attached.')
    await atMehta
    await openConversation(ravi.page, group)
    await waitForMessage(ravi.page, 'Please copy me on the final figures.')
    await waitForMessage(ravi.page, 'Final figures attached.')
    await screenshot(asha.page, '07-group-chat')
  })

  it('queues while a browser is offline and delivers both ways when it returns', async () => {
    await openConversation(asha.page, direct)
    await openConversation(ravi.page, direct)
    await asha.context.setOffline(true)
    await waitForMode(asha.page, 'offline')
    // the browser said it is offline: every connection is closed, so nothing can reach it now
    expect(await connections(asha.page)).toEqual([])

    await send(ravi.page, 'Draft is in the shared folder.')
    // the department node holds it for Asha
    await waitForMessage(ravi.page, 'Draft is in the shared folder.', 'stored')
    await send(asha.page, 'Thanks, reading it on the train.')
    await waitForMessage(asha.page, 'Thanks, reading it on the train.', 'queued')
    await asha.page.getByTestId('offline-note').waitFor()
    await screenshot(asha.page, '08-offline-queued')

    await asha.context.setOffline(false)
    await waitForMode(asha.page, 'department')
    await waitForMessage(asha.page, 'Draft is in the shared folder.')
    await waitForMessage(ravi.page, 'Thanks, reading it on the train.')
    await message(asha.page, 'Thanks, reading it on the train.', 'queued').waitFor({ state: 'detached', timeout: 20_000 })
    // and the two browsers find each other directly again
    const raviPeer = await peerId(ravi.page)
    await waitForSubscriber(asha.page, direct, raviPeer)
    expect(directWebRTC(await connections(asha.page), raviPeer)).not.toHaveLength(0)
    await screenshot(asha.page, '09-back-online')
  })

  it('keeps identity, conversations and history across a reload', async () => {
    const before = await peerId(asha.page)
    await asha.page.reload()
    await waitForMode(asha.page, 'department')
    expect(await peerId(asha.page)).toBe(before)
    expect(await asha.page.getByTestId('enrol-button').count()).toBe(0)
    await conversationItem(asha.page, group).waitFor()
    await openConversation(asha.page, direct)
    for (const text of ['The budget note is due today.', 'I will send the draft by noon.', 'Draft is in the shared folder.', 'Thanks, reading it on the train.']) {
      await waitForMessage(asha.page, text)
    }
    await screenshot(asha.page, '10-after-reload')
  })
})
