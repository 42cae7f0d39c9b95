/**
 * What the browser tests run against: a fresh test build of web/, a real
 * department node serving it on 127.0.0.1, and Debian's Chromium driven by
 * playwright-core. Nothing here downloads a browser.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { build } from 'vite'
import { createDepartmentNode, loadConfig, type DepartmentConfig, type DepartmentNode } from '../../bootstrap/src/index.js'

export const CHROMIUM = '/usr/bin/chromium'
const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url))
const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

/**
 * `vite build --mode test` into a temporary folder: the production bundle
 * plus window.__dak (web/src/platform/test-hooks.ts). Not web/dist, which
 * `npm start` serves and other work may be using.
 */
export async function buildWebClient (): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'dak-web-'))
  await build({ root: WEB_ROOT, configFile: join(WEB_ROOT, 'vite.config.ts'), mode: 'test', logLevel: 'warn', build: { outDir, emptyOutDir: true } })
  return outDir
}

export interface Department {
  node: DepartmentNode
  dataDir: string
  stop: () => Promise<void>
}

/** A department node on 127.0.0.1 with every port chosen by the OS, serving `webRoot`; `settings`: config beyond the defaults (e.g. lockAfterMinutes). */
export async function startDepartment (webRoot: string, settings: Partial<DepartmentConfig> = {}): Promise<Department> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dak-department-'))
  const config = await loadConfig({ overrides: { ...settings, dataDir, host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 0, httpPort: 0, webRoot } })
  const node = await createDepartmentNode(config)
  return {
    node,
    dataDir,
    stop: async () => {
      await node.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}

/**
 * Chromium with the flags the project's CI uses. Playwright gives every
 * launch a fresh temporary profile (--user-data-dir) of its own and removes
 * it on close, so no state survives from one run to the next. A wrapper
 * `executablePath` can run it elsewhere (another network namespace), and
 * `env` give it a HOME whose NSS database trusts a test CA.
 */
/** The flags every launch here uses: no sandbox (root in CI), no GPU, no background traffic, no QUIC. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic']

function requireChromium (): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (npm test's pretest and .ci/run do this)`)
}

export async function launchChromium (options: { executablePath?: string, env?: Record<string, string>, args?: string[] } = {}): Promise<Browser> {
  requireChromium()
  return await chromium.launch({
    executablePath: options.executablePath ?? CHROMIUM,
    ...(options.env != null ? { env: options.env } : {}),
    args: ['--headless', ...CHROMIUM_ARGS, ...(options.args ?? [])]
  })
}

/** Chromium on a profile directory the test keeps (to copy its files as a thief would), with the same flags. */
export async function launchPersistentChromium (profile: string): Promise<BrowserContext> {
  requireChromium()
  return await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
}

/** Chromium's fake camera and microphone, granted without a prompt, and media that plays without a click (calls). */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']

export async function screenshot (page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
}
