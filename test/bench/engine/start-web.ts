import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { createDepartmentNode, loadConfig, type DepartmentNode } from '../../../bootstrap/src/index.js'
import type { WebClientScenario } from './hooks.js'

/**
 * The web client hook: the built client (web/dist, as `npm start` serves it)
 * served by a real department node on 127.0.0.1, and Debian's Chromium
 * driven by playwright-core, as the browser tests do (test/web/harness.ts).
 * One browser context enrols once with an invite from the node; its
 * IndexedDB and localStorage then hold the device, so every later page of
 * that context opens the device and dials the node on its own.
 */

export const CHROMIUM = '/usr/bin/chromium'
const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url))
/** Bounds a failure only: a first open loads the device chunk, makes the MLS keys and dials the node. */
const CONNECT_MS = 30_000

/** Chromium with the flags the browser tests and CI use; a fresh temporary profile per launch. */
export async function launchChromium (): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`)
  // imported here, not at the top: every benchmark that loads engine/hooks.ts would pay for it
  const { chromium } = await import('playwright-core')
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic']
  })
}

/** The status bar says *Online through the department node* (docs/web.md, "Stable selectors"). */
async function waitConnected (page: Page): Promise<void> {
  await page.locator('[data-testid=status-bar][data-mode=department]').waitFor({ timeout: CONNECT_MS })
}

export async function startWebClient (options: { tmpDir: string, progress: (message: string) => void }): Promise<WebClientScenario> {
  const { progress } = options
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('web/dist is missing: npm run build:web')
  const dir = await mkdtemp(join(options.tmpDir, 'engine-web-'))
  let node: DepartmentNode | undefined
  let browser: Browser | undefined
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => {})
    await node?.stop().catch(() => {})
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const config = await loadConfig({ overrides: { dataDir: join(dir, 'node'), department: 'mof.budget', departmentName: 'Budget Division', host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 0, httpPort: 0, webRoot: WEB_DIST } })
    const dept = node = await createDepartmentNode(config, { onError: (err) => { progress(`  department node: ${err instanceof Error ? err.message : String(err)}`) } })
    browser = await launchChromium()
    const context = await browser.newContext()
    progress('  engine: enrolling a web client in Chromium')
    const invite = await dept.createInvite({ handle: 'web', displayName: 'Web Bench', title: 'Section Officer' })
    const page = await context.newPage()
    await page.goto(dept.webUrl)
    await page.getByTestId('enrol-code-input').fill(invite.code)
    await page.getByTestId('enrol-button').click()
    await waitConnected(page)
    // Closing the page lets go of the device's Web Lock, so the next page opens it at once.
    await page.close()
    return { url: dept.webUrl, newPage: async () => await context.newPage(), waitConnected, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
