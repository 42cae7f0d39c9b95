import { appendFile, chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { ConnectionView, FieldMessage } from '../../web/src/platform/test-hooks.js'
import { homeTrusting } from '../helpers/nss.js'
import { launchChromium } from '../web/harness.js'
import { connections, enrol, waitForMode } from '../web/page.js'

/**
 * A desk officer's browser as a field device (issue 11 part 3): Debian's
 * Chromium run inside the device's network namespace, so that every packet it
 * sends crosses the same shaped link a `dak` device's does, trusting the
 * department CA through its own NSS database. The page is the test build of
 * web/ the department node serves; arrivals are timed on the harness clock
 * through a binding (window.__dakFieldMessage), as `dak listen` lines are.
 */

/** A connection's transport in a word, for the run log. */
function transportOf (c: ConnectionView): string {
  if (c.address.includes('/webrtc-direct')) return 'webrtc-direct'
  if (c.address.includes('/p2p-circuit')) return c.direct ? 'webrtc' : 'relayed'
  if (c.address.includes('/tls/ws')) return 'wss'
  return c.address
}

/** Enrolment and going online over the link: a first open makes MLS keys and loads the device chunk. */
const OPEN_MS = 120_000

export class FieldBrowser {
  private constructor (private readonly browser: Browser, readonly page: Page) {}

  /** Chromium in namespace `ns`, with a HOME under `dir` whose NSS database trusts `caPath`. */
  static async launch (ns: string, dir: string, caPath: string): Promise<FieldBrowser> {
    const home = join(dir, 'browser-home')
    await homeTrusting(home, caPath, 'Dak field.test')
    const wrapper = join(dir, `chromium-in-${ns}.sh`)
    await writeFile(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} /usr/bin/chromium "$@"\n`)
    await chmod(wrapper, 0o755)
    const browser = await launchChromium({ executablePath: wrapper, env: { ...process.env as Record<string, string>, HOME: home } })
    const page = await browser.newPage()
    return new FieldBrowser(browser, page)
  }

  /** Every message event of the page, from now on and across reloads, with the harness's time of arrival. */
  async onMessage (listener: (message: FieldMessage, at: number) => void): Promise<void> {
    await this.page.exposeBinding('__dakFieldMessage', (_source, message: FieldMessage) => { listener(message, Date.now()) })
  }

  /**
   * The page's console, appended to `consoleFile` with the harness's time;
   * with FIELD_BROWSER_DEBUG=namespaces also libp2p's debug log
   * (@libp2p/logger reads localStorage.debug): how section 11 of
   * docs/field.md found which dial held a reconnection.
   */
  async keepConsole (consoleFile: string): Promise<void> {
    const debug = process.env.FIELD_BROWSER_DEBUG
    if (debug != null) await this.page.addInitScript((namespaces) => { localStorage.setItem('debug', namespaces) }, debug)
    this.page.on('console', (message) => { void appendFile(consoleFile, `${new Date().toISOString()} ${message.type()} ${message.text()}\n`).catch(() => {}) })
  }

  /** Open the invite link and enrol; resolves once the page is on the department node. */
  async enrol (inviteLink: string): Promise<void> {
    await this.page.goto(inviteLink, { timeout: OPEN_MS })
    await enrol(this.page)
    await waitForMode(this.page, 'department')
  }

  /**
   * Reload the page, as an officer opening the app again, and resolve once it
   * is on the department node and has caught up (the `dak listen` measure:
   * node connected, then the conversation). Returns the ms to each.
   */
  async reopen (): Promise<{ nodeMs: number, caughtUpMs: number }> {
    const begin = Date.now()
    await this.page.reload({ timeout: OPEN_MS })
    await this.page.locator('[data-testid=status-bar][data-mode=department]').waitFor({ timeout: OPEN_MS })
    const nodeMs = Date.now() - begin
    await this.page.waitForFunction(() => window.__dak !== undefined && window.__dak.caughtUp > 0, undefined, { timeout: OPEN_MS })
    return { nodeMs, caughtUpMs: Date.now() - begin }
  }

  /** How the page reaches the department node: the transports of its open connections. */
  async transports (): Promise<string[]> {
    return (await connections(this.page)).map(transportOf)
  }

  /** Each open connection of the page: the peer's last characters, its address kind and its streams' protocols. */
  async connectionsSummary (): Promise<string[]> {
    return (await connections(this.page)).map(c => `…${c.peer.slice(-6)} ${transportOf(c)} [${c.protocols.join(' ')}]`)
  }

  /** The errors the device reported since the page last opened. */
  async errors (): Promise<string[]> {
    return await this.page.evaluate(() => (window.__dak?.errors ?? []).map(e => `${e.name}: ${e.message}`.slice(0, 200)))
  }

  async close (): Promise<void> {
    await this.browser.close()
  }
}
