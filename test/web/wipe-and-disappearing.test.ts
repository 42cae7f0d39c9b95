/**
 * Issue 14, items 5 and 6, in Chromium (docs/web.md, *Remote wipe* and
 * docs/messenger.md, *Disappearing messages*): Ravi's page and Mehta's
 * Node.js device through a real department node.
 *
 * 1. Mehta sets a 10 s timer on their chat. A message each way shows, then
 *    leaves the page no earlier than its timer, and the page's device store
 *    (IndexedDB) no longer holds it; a reload does not bring it back.
 * 2. The department orders Ravi's browser wiped and revokes it (what
 *    `dak-node wipe` and `dak-node revoke` do): the open page obeys, its
 *    device store and wrapped storage key are gone, the
 *    enrol screen says who had it erased, and the node's audit log has the
 *    device's signed report after the order. (The enrol screen's start makes
 *    an empty store under a fresh key and fetches the node's public addresses
 *    again: the test checks the old store and key are gone, not the names.)
 */
import { rm } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { deskAndField, type DeskAndField } from './desk-and-field.js'
import { buildWebClient, launchChromium, screenshot, startDepartment, type Department } from './harness.js'
import { message, openConversation, send, waitForCaughtUp, waitForMessage } from './page.js'

const TIMER_MS = 10_000
const FROM_MEHTA = 'VANISH-from-mehta-5b1e'
const FROM_RAVI = 'غائب-from-ravi-0c9d'

const undo: Array<() => Promise<unknown>> = []
afterAll(async () => { for (const step of undo.reverse()) await step().catch((err: unknown) => { console.error('cleanup failed', err) }) })

let department: Department
let page: Page
let officers: DeskAndField

beforeAll(async () => {
  const webRoot = await buildWebClient()
  undo.push(async () => await rm(webRoot, { recursive: true, force: true }))
  department = await startDepartment(webRoot)
  undo.push(async () => { await department.stop() })
  const browser: Browser = await launchChromium()
  undo.push(async () => { await browser.close() })
  page = await (await browser.newContext()).newPage()
  officers = await deskAndField(department, page)
  undo.push(officers.stop)
}, 300_000)

/** What this origin keeps: each IndexedDB database with its record count, and the wrapped storage key's IV (hex). */
async function whatIsKept (): Promise<{ records: Record<string, number>, storageKeyIv: string | null }> {
  return await page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>): Promise<T> => new Promise((resolve, reject) => { r.onsuccess = () => { resolve(r.result) }; r.onerror = () => { reject(r.error) } })
    const records: Record<string, number> = {}
    let storageKeyIv: string | null = null
    for (const { name } of await indexedDB.databases()) {
      if (name === undefined) continue
      const db = await request(indexedDB.open(name))
      let count = 0
      for (const store of Array.from(db.objectStoreNames)) count += await request(db.transaction(store).objectStore(store).count())
      if (name === 'dak-keys') {
        const stored = await request(db.transaction('keys').objectStore('keys').get('storage-key')) as { iv: Uint8Array } | undefined
        storageKeyIv = stored === undefined ? null : Array.from(stored.iv, b => b.toString(16).padStart(2, '0')).join('')
      }
      db.close()
      records[name] = count
    }
    return { records, storageKeyIv }
  })
}

async function storedTexts (conversationId: string): Promise<string[]> {
  return await page.evaluate(async (id) => {
    if (window.__dak === undefined) throw new Error('no test hooks on the page')
    return await window.__dak.storedTexts(id)
  }, conversationId)
}

describe('a browser device and the department\'s orders', () => {
  it('removes a disappearing message from the page and from IndexedDB after its timer', async () => {
    const { mehta, direct } = officers
    await openConversation(page, direct)
    await mehta.messenger.setTimer(direct, TIMER_MS)
    await page.locator('[data-testid=message]', { hasText: 'set messages to disappear' }).waitFor({ timeout: 20_000 })

    const sentNoEarlier = Date.now()
    await mehta.messenger.send(direct, FROM_MEHTA)
    await waitForMessage(page, FROM_MEHTA)
    await send(page, FROM_RAVI)
    await waitFor('ravi\'s message at mehta', async () => (await mehta.messenger.history(direct)).messages.some(m => m.text === FROM_RAVI),
      { subscribe: (wake) => mehta.messenger.on('message', wake), timeoutMs: 20_000 })
    expect(await storedTexts(direct)).toEqual(expect.arrayContaining([FROM_MEHTA, FROM_RAVI]))

    // gone from the page (the engine's messages-expired), and no earlier than the timer
    for (const text of [FROM_MEHTA, FROM_RAVI]) await message(page, text).waitFor({ state: 'detached', timeout: TIMER_MS + 60_000 })
    expect(Date.now() - sentNoEarlier, 'not before the timer').toBeGreaterThanOrEqual(TIMER_MS)
    // gone from the device store in IndexedDB
    const left = await storedTexts(direct)
    expect(left).not.toContain(FROM_MEHTA)
    expect(left).not.toContain(FROM_RAVI)
    expect(left.some(t => t.includes('set messages to disappear')), 'the timer line stays').toBe(true)

    // a reload reads the store again and catches up with the node: neither comes back
    await page.reload()
    await waitForCaughtUp(page)
    await openConversation(page, direct)
    await page.locator('[data-testid=message]', { hasText: 'set messages to disappear' }).waitFor({ timeout: 20_000 })
    expect(await message(page, FROM_MEHTA).count()).toBe(0)
    expect(await message(page, FROM_RAVI).count()).toBe(0)
    expect(await storedTexts(direct)).not.toContain(FROM_MEHTA)
  }, 180_000)

  it('erases itself when a wipe order for it reaches the open page', async () => {
    const ravi = (await department.node.devices()).find(d => d.handle === 'ravi')
    if (ravi === undefined) throw new Error('ravi\'s browser is not enrolled')
    const before = await whatIsKept()
    const deviceDb = Object.keys(before.records).find(name => name.includes('dak-device'))
    if (deviceDb === undefined) throw new Error(`no device database among ${Object.keys(before.records).join(', ')}`)
    expect(before.records[deviceDb], 'the device store before').toBeGreaterThan(20)
    expect(before.storageKeyIv).not.toBeNull()

    const ordered = await department.node.wipe({ handle: 'ravi' })
    expect(ordered).toEqual([expect.objectContaining({ handle: 'ravi' })])
    // the node hangs up on a revoked device, which then asks for a wipe order and obeys it, then reloads
    await department.node.revoke({ handle: 'ravi' })
    const notice = page.getByTestId('wiped-notice')
    await notice.waitFor({ timeout: 60_000 })
    expect(await notice.textContent()).toContain('had this device erased')
    await page.getByTestId('enrol-code-input').waitFor()
    await screenshot(page, 'wiped-browser')

    // the enrol screen's start opened an empty store under a new key (not enrolled): nothing of the old one is left
    const after = await whatIsKept()
    process.stdout.write(`wipe: records before ${JSON.stringify(before.records)}, after ${JSON.stringify(after.records)}\n`)
    expect(after.records[deviceDb] ?? 0, 'records in the device store after').toBeLessThan(5)
    expect(after.storageKeyIv, 'the old wrapped storage key').not.toBe(before.storageKeyIv)

    const deviceKey = (ordered[0] as { deviceKey: string }).deviceKey
    const actions = await waitFor('the wipe report in the audit log', async () => {
      const list = (await department.node.audit.list()).filter(e => e.details.deviceKey === deviceKey).map(e => e.action)
      return list.includes('wipe-done') ? list : undefined
    }, { timeoutMs: 30_000 })
    expect(actions.indexOf('wipe-done')).toBeGreaterThan(actions.indexOf('wipe-order'))
  }, 180_000)
})
