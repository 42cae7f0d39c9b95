/**
 * THREATS.md, "Thief with a copied disk", for the browser: after a
 * conversation with canary strings (ASCII and Urdu) between a browser and a
 * Node.js device, no file of the real Chromium profile holds a canary, in
 * UTF-8 or in UTF-16 (how Chromium serialises non-Latin-1 strings). A control
 * string the page writes into IndexedDB in clear must be found by the same
 * scan, so a scan that finds nothing means something.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from '@noble/ciphers/utils.js'
import { ClassicLevel } from 'classic-level'
import type { BrowserContext } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { enrolDevice } from '../../node/src/device/enrol-device.js'
import { openDevice, type OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, launchPersistentChromium, startDepartment, type Department } from './harness.js'
import { canariesBothWays } from './desk-and-field.js'
import { conversationItem, enrol, waitForCaughtUp } from './page.js'
import { filesUnder, whereFound, writeControlRecord } from './profile-scan.js'

const CANARIES = ['CANARY-7f3a', 'خفیہ-کینری'] as const
const CONTROL = 'CONTROL-IN-CLEAR-9e1b'

const undo: Array<() => Promise<unknown>> = []
afterAll(async () => { for (const step of undo.reverse()) await step() })

describe('a thief with a copy of the browser profile', () => {
  it('finds no canary in any file of the profile', async () => {
    const webRoot = await buildWebClient()
    undo.push(async () => await rm(webRoot, { recursive: true, force: true }))
    const department: Department = await startDepartment(webRoot)
    undo.push(async () => { await department.stop() })
    const profile = await mkdtemp(join(tmpdir(), 'dak-profile-'))
    undo.push(async () => await rm(profile, { recursive: true, force: true }))
    const context: BrowserContext = await launchPersistentChromium(profile)
    let contextOpen = true
    undo.push(async () => { if (contextOpen) await context.close() })
    const page = await context.newPage()

    const mehtaDir = await mkdtemp(join(tmpdir(), 'dak-mehta-'))
    undo.push(async () => await rm(mehtaDir, { recursive: true, force: true }))
    const mehtaDb = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(mehtaDir, 'db'), { valueEncoding: 'view' })
    const storageKey = randomBytes(32)
    await enrolDevice({ db: mehtaDb(), storageKey, invite: (await department.node.createInvite({ handle: 'mehta', displayName: 'Meera Mehta', title: 'Deputy Secretary' })).code, nodeUrl: department.node.httpUrl })

    await page.goto(department.node.httpUrl)
    await enrol(page, (await department.node.createInvite({ handle: 'ravi', displayName: 'Ravi Kumar', title: 'Section Officer' })).code)
    await waitForCaughtUp(page)

    const mehta: OpenDevice = await openDevice({ db: mehtaDb(), storageKey, bootstrap: department.node.multiaddrs().filter(a => /\/tcp\/\d+\/p2p\//.test(a)) })
    undo.push(async () => { await mehta.stop() })
    await waitFor('mehta knows ravi', async () => (await mehta.messenger.contacts()).some(c => c.handle === 'ravi'),
      { subscribe: (wake) => mehta.messenger.on('status', wake), timeoutMs: 30_000 })
    const direct = (await mehta.messenger.startDirect('ravi')).id
    await conversationItem(page, direct).waitFor({ timeout: 30_000 })
    await canariesBothWays(page, { mehta, direct }, CANARIES)

    // the control: a record in clear in this origin's IndexedDB, which the scan must find
    await writeControlRecord(page, CONTROL)
    // closing the browser flushes IndexedDB to the profile's files
    await context.close()
    contextOpen = false

    const files = await filesUnder(profile)
    expect(whereFound(files, CONTROL).length, 'the control string written in clear is found').toBeGreaterThan(0)
    for (const canary of CANARIES) expect(whereFound(files, canary), `files holding ${canary}`).toEqual([])
    process.stdout.write(`copied-profile: 0 canary hits in ${files.length} profile files (${files.reduce((n, f) => n + f.bytes.length, 0)} bytes); control found\n`)
  }, 300_000)
})
