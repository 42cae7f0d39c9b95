import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signingKeyPairFromSeed } from '@dak/protocol'
import type { Browser } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { exportAuthorityKey } from '../../bootstrap/src/authority/export-key.js'
import { parseRequestsFile } from '../../bootstrap/src/authority/ceremony-files.js'
import { signRequests } from '../../bootstrap/src/authority/sign.js'
import { loadDepartmentKeys } from '../../bootstrap/src/identity/node-keys.js'
import { createDepartmentNode, loadConfig, type DepartmentNode } from '../../bootstrap/src/index.js'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, launchChromium, screenshot } from './harness.js'

/**
 * Issue 12, part 3 in the browser: a department whose authority key lives off
 * the node (the offline ceremony, docs/department-node.md). An officer who
 * opens an invite link is told the device waits for the department's
 * signature, the page keeps asking, and it opens by itself once the ceremony's
 * signed file is imported. Before, the page only said "Enrolling…" for up to
 * an hour.
 */

const cleanups: Array<() => Promise<void>> = []
afterAll(async () => { for (const clean of cleanups.reverse()) await clean().catch(() => {}) })

describe('enrolment with an offline authority, in the browser', () => {
  it('says the device waits for the department to sign it, then opens once the signed file is imported', async () => {
    const webRoot = await buildWebClient()
    const dataDir = await mkdtemp(join(tmpdir(), 'dak-department-'))
    const keeper = await mkdtemp(join(tmpdir(), 'dak-authority-keeper-'))
    cleanups.push(async () => { for (const dir of [webRoot, dataDir, keeper]) await rm(dir, { recursive: true, force: true }) })
    const config = await loadConfig({ overrides: { dataDir, host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 'off', httpPort: 0, webRoot } })
    await loadDepartmentKeys(dataDir)
    const keyFile = join(keeper, 'authority.key')
    await exportAuthorityKey(config, keyFile, Date.now())
    const node: DepartmentNode = await createDepartmentNode(config)
    cleanups.push(async () => { await node.stop() })
    const browser: Browser = await launchChromium()
    cleanups.push(async () => { await browser.close() })

    const invite = await node.createInvite({ handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary' })
    const page = await (await browser.newContext()).newPage()
    await page.goto(invite.link)
    await page.getByTestId('enrol-button').click()
    await page.getByTestId('enrol-pending').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('enrol-pending').textContent()).toMatch(/Waiting for your department to sign this device/)
    await screenshot(page, 'enrol-pending')
    const requests = await waitFor('the request at the node', async () => { const r = await node.certificateRequests(); return r.requests.length > 0 ? r : undefined }, { timeoutMs: 20_000 })
    expect(requests.requests.map(r => r.handle)).toEqual(['asha.rao'])
    expect(await page.getByTestId('status-bar').count()).toBe(0)

    // the ceremony on the machine with the key; the signed file comes back to the node
    const signed = signRequests(parseRequestsFile(JSON.stringify(requests)), signingKeyPairFromSeed(new Uint8Array(await readFile(keyFile))), Date.now())
    expect((await node.importSigned(signed)).enrolled).toBe(1)
    // the page was still asking: it enrols and opens without the officer doing anything
    await page.getByTestId('status-bar').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('enrol-pending').count()).toBe(0)
    expect((await node.devices()).map(d => d.handle)).toEqual(['asha.rao'])
  }, 120_000)
})
