/**
 * Issue 14, remote wipe while locked (docs/web.md), in a real Chromium
 * profile against a real department node: Ravi's browser has a PIN and sits
 * at its lock screen — no messenger open, the storage key not held — when the
 * department orders it wiped. The locked page finds the order by itself, with
 * nothing but what it keeps readable without the PIN (wipe-watch-record.ts),
 * and erases its store and keys without ever being unlocked; the enrol screen
 * then says who had it erased. A copy of the profile afterwards holds no
 * canary (a control string written in clear is found by the same scan). The
 * node's audit log has the order and, honestly, no report: the device key
 * that signs one is sealed under the PIN no one typed.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { canariesBothWays, deskAndField } from './desk-and-field.js'
import { buildWebClient, launchPersistentChromium, screenshot, startDepartment } from './harness.js'
import { filesUnder, whereFound, writeControlRecord } from './profile-scan.js'

const CANARIES = ['LOCKED-WIPE-CANARY-9e3f', 'مقفل-کینری-صاف'] as const
const CONTROL = 'LOCKED-WIPE-CONTROL-IN-CLEAR-51aa'
const PIN = '1357-lock'
/** The page asks every LOCKED_WIPE_CHECK_MS (10 s, web/src/constants.ts); this leaves room for a slow machine. */
const WIPE_WITHIN_MS = 60_000

const undo: Array<() => Promise<unknown>> = []
afterAll(async () => { for (const step of undo.reverse()) await step().catch((err: unknown) => { console.error('cleanup failed', err) }) })

/** The keys kept in `dak-keys` (names only) and the device store's record count. */
async function keptRecords (page: Page): Promise<{ keys: string[], deviceRecords: number }> {
  return await page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>): Promise<T> => new Promise((resolve, reject) => { r.onsuccess = () => { resolve(r.result) }; r.onerror = () => { reject(r.error) } })
    let keys: string[] = []
    let deviceRecords = 0
    for (const { name } of await indexedDB.databases()) {
      if (name === undefined) continue
      const db = await request(indexedDB.open(name))
      if (name === 'dak-keys' && db.objectStoreNames.contains('keys')) keys = (await request(db.transaction('keys').objectStore('keys').getAllKeys())).map(String)
      if (name.includes('dak-device')) for (const store of Array.from(db.objectStoreNames)) deviceRecords += await request(db.transaction(store).objectStore(store).count())
      db.close()
    }
    return { keys: keys.sort(), deviceRecords }
  })
}

describe('a browser locked by its PIN and the department\'s wipe order', () => {
  it('erases itself without being unlocked, leaves nothing readable, and sends no report it cannot sign', async () => {
    const webRoot = await buildWebClient()
    undo.push(async () => await rm(webRoot, { recursive: true, force: true }))
    const department = await startDepartment(webRoot)
    undo.push(async () => { await department.stop() })
    const profile = await mkdtemp(join(tmpdir(), 'dak-locked-wipe-profile-'))
    undo.push(async () => await rm(profile, { recursive: true, force: true }))
    const context: BrowserContext = await launchPersistentChromium(profile)
    undo.push(async () => { await context.close() })
    const page = await context.newPage()
    const { mehta, direct, stop } = await deskAndField(department, page)
    undo.push(stop)

    // a conversation with the canaries, both ways
    await canariesBothWays(page, { mehta, direct }, CANARIES)

    // a PIN, then a reload: the lock screen, the device closed behind it
    await page.getByTestId('pin-settings-button').click()
    await page.getByTestId('pin-new-input').fill(PIN)
    await page.getByTestId('pin-repeat-input').fill(PIN)
    await page.getByTestId('pin-set-button').click()
    await page.locator('[data-testid=pin-settings][data-pin-set=true]').waitFor({ timeout: 20_000 })
    await page.reload()
    await page.locator('[data-testid=lock-screen][data-reason=start]').waitFor({ timeout: 30_000 })
    const before = await keptRecords(page)
    expect(before.keys, 'what the locked page keeps beside the key').toEqual(['storage-key', 'wipe-watch', 'wrapping-key'])
    expect(before.deviceRecords, 'the device store while locked').toBeGreaterThan(20)

    // the department orders the wipe; no one touches the page
    const ordered = await department.node.wipe({ handle: 'ravi' })
    expect(ordered).toEqual([expect.objectContaining({ handle: 'ravi' })])
    const orderedAt = Date.now()
    const notice = page.getByTestId('wiped-notice')
    await notice.waitFor({ timeout: WIPE_WITHIN_MS })
    process.stdout.write(`locked-wipe: the locked page erased itself ${Date.now() - orderedAt} ms after the order\n`)
    expect(await notice.textContent()).toContain('had this device erased')
    await page.getByTestId('enrol-code-input').waitFor()
    await screenshot(page, 'locked-browser-wiped')
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('dak-wiped') ?? 'null') as { reported?: boolean, unsentReport?: string } | null)
    expect(stored).toEqual(expect.objectContaining({ reported: false }))
    expect(stored).not.toHaveProperty('unsentReport')

    // the old key, its PIN layer and the wipe watch are gone (the enrol screen starts a fresh empty store under a new key)
    const after = await keptRecords(page)
    process.stdout.write(`locked-wipe: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}\n`)
    expect(after.keys).not.toContain('wipe-watch')
    expect(after.deviceRecords, 'records in the device store after').toBeLessThan(5)
    expect(await page.evaluate(async () => await new Promise<boolean>((resolve) => {
      const r = indexedDB.open('dak-keys')
      r.onsuccess = () => {
        const db = r.result
        if (!db.objectStoreNames.contains('keys')) { db.close(); resolve(false); return }
        const get = db.transaction('keys').objectStore('keys').get('storage-key')
        get.onsuccess = () => { db.close(); resolve((get.result as { pin?: unknown } | undefined)?.pin !== undefined) }
        get.onerror = () => { db.close(); resolve(false) }
      }
      r.onerror = () => { resolve(false) }
    })), 'a PIN-sealed storage key left').toBe(false)

    // a copy of the profile: no canary anywhere, the control found
    await writeControlRecord(page, CONTROL)
    const copy = await mkdtemp(join(tmpdir(), 'dak-locked-wipe-copy-'))
    undo.push(async () => await rm(copy, { recursive: true, force: true }))
    const files = await waitFor('the control string in a copy of the profile', async () => {
      await rm(copy, { recursive: true, force: true })
      await cp(profile, copy, { recursive: true, filter: (source) => !/Singleton|\.lock$/.test(source) }).catch((err: unknown) => { console.warn('copy of a live profile: a file changed under it', err) })
      const copied = await filesUnder(copy)
      return whereFound(copied, CONTROL).length > 0 ? copied : undefined
    }, { timeoutMs: 30_000 })
    for (const canary of CANARIES) expect(whereFound(files, canary), `files holding ${canary}`).toEqual([])
    process.stdout.write(`locked-wipe: 0 canary hits in ${files.length} files of the profile after the wipe; control found\n`)

    // the audit log: the order, and no report (the device key is sealed under the PIN no one typed)
    const deviceKey = (ordered[0] as { deviceKey: string }).deviceKey
    const actions = (await department.node.audit.list()).filter(e => e.details.deviceKey === deviceKey).map(e => e.action)
    expect(actions).toContain('wipe-order')
    expect(actions).not.toContain('wipe-done')
  }, 600_000)
})
