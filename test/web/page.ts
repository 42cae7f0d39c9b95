/**
 * Steps and questions on one officer's page, through the UI's data-testids
 * (docs/web.md, "Stable selectors") and the test build's window.__dak. Waits
 * are Playwright's waitFor with deadlines: they return as soon as the page
 * shows the state, and fail at the deadline.
 */
import type { Locator, Page } from 'playwright-core'
import type { ConnectionView } from '../../web/src/platform/test-hooks.js'

/** Generous for a first open: the device chunk loads, MLS keys are made, the node is dialled. */
const OPEN_MS = 30_000
/** Messages on loopback arrive in well under a second; this only bounds a failure. */
const DELIVERY_MS = 20_000

export async function enrol (page: Page, code?: string): Promise<void> {
  if (code !== undefined) await page.getByTestId('enrol-code-input').fill(code)
  await page.getByTestId('enrol-button').click()
  await page.getByTestId('status-bar').waitFor({ timeout: OPEN_MS })
}

/**
 * Waits until the device this page opened has finished catching up with the
 * department node, or has reported an error on the way (the caller asserts
 * there was none: window.__dak.errors).
 */
export async function waitForCaughtUp (page: Page): Promise<void> {
  await page.waitForFunction(() => window.__dak !== undefined && (window.__dak.caughtUp > 0 || window.__dak.errors.length > 0), undefined, { timeout: OPEN_MS })
}

export async function waitForMode (page: Page, mode: 'department' | 'peer-to-peer' | 'offline'): Promise<void> {
  await page.locator(`[data-testid=status-bar][data-mode=${mode}]`).waitFor({ timeout: OPEN_MS })
}

export function message (page: Page, text: string, state?: string): Locator {
  const bubbles = page.locator(state === undefined ? '[data-testid=message]' : `[data-testid=message][data-state=${state}]`)
  return bubbles.filter({ hasText: text })
}

/** Waits until the message shows (in `state`, when given). */
export async function waitForMessage (page: Page, text: string, state?: string): Promise<void> {
  await message(page, text, state).waitFor({ timeout: DELIVERY_MS })
}

/** Types and sends; resolves once the message is in the list (queued or further). */
export async function send (page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text)
  await page.getByTestId('send-button').click()
  await message(page, text).waitFor({ timeout: DELIVERY_MS })
}

export function conversationItem (page: Page, id: string): Locator {
  return page.locator(`[data-testid=conversation-item][data-conversation-id="${id}"]`)
}

export async function openConversation (page: Page, id: string): Promise<void> {
  // on a phone-sized screen an open chat covers the list: go back to it first
  const back = page.getByTestId('back-button')
  if (await back.isVisible()) await back.click()
  await conversationItem(page, id).click({ timeout: DELIVERY_MS })
  await page.getByTestId('composer-input').waitFor()
}

/** The id (gossip topic) of the conversation open on the page. */
export async function openConversationId (page: Page): Promise<string> {
  const item = page.locator('[data-testid=conversation-item][aria-current=true]')
  await item.waitFor({ timeout: DELIVERY_MS })
  const id = await item.getAttribute('data-conversation-id')
  if (id === null) throw new Error('the open conversation has no id')
  return id
}

export async function peerId (page: Page): Promise<string> {
  return await page.evaluate(() => window.__dak?.peerId ?? '')
}

export async function connections (page: Page): Promise<ConnectionView[]> {
  return await page.evaluate(() => window.__dak?.connections() ?? [])
}

/**
 * Direct WebRTC connections to `peer` that carry gossipsub: data channels
 * between the two browsers, not a circuit through the node. The answering
 * side sees the address /webrtc/p2p/<peer>; the dialling side keeps the route
 * its offer took (<node>/p2p-circuit/webrtc/p2p/<peer>), so the test goes by
 * the connection itself: WebRTC multiplexer, direct, no relay limits.
 */
export function directWebRTC (list: ConnectionView[], peer: string): ConnectionView[] {
  return list.filter(c => c.peer === peer && c.multiplexer === '/webrtc' && c.direct && !c.limited && c.protocols.some(p => p.startsWith('/meshsub/')))
}

/**
 * Waits until `page` knows `peer` is subscribed to `topic`. Gossipsub tells
 * subscriptions only to direct neighbours and never runs on a relayed
 * (limited) connection, so between two browsers this means their direct
 * connection is up and the next publish goes over it.
 */
export async function waitForSubscriber (page: Page, topic: string, peer: string): Promise<void> {
  await page.waitForFunction(([t, p]) => window.__dak?.subscribers(t).includes(p) === true, [topic, peer] as const, { timeout: OPEN_MS })
}
