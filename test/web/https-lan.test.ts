/**
 * A desk officer on another machine of the office LAN: Chromium in its own
 * network namespace (not loopback, so no secure context without HTTPS) with
 * the department CA trusted in its NSS database, a department node on the
 * LAN address that made its CA on first start, and a `dak` device. Steps
 * share one setup and run in order. docs/department-node.md, "HTTPS".
 */
import { request as httpRequest } from 'node:http'
import { get as httpsGet } from 'node:https'
import { connect as tlsConnect } from 'node:tls'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { fromHex } from '@dak/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createDepartmentNode, loadConfig, type DepartmentNode } from '../../bootstrap/src/index.js'
import { renewServerCertificate } from '../../bootstrap/src/tls/department-tls.js'
import { dak, dakInBackground, killAll, type LongRunning } from '../cli/dak-process.js'
import { canCreateLan, createLan, type Lan } from '../helpers/netns.js'
import { homeTrusting } from '../helpers/nss.js'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, launchChromium, screenshot } from './harness.js'
import { connections, enrol, openConversationId, peerId, send, waitForMessage, waitForMode } from './page.js'

let lan: Lan
let scratch: string
let webRoot: string
let node: DepartmentNode
let browser: Browser
let caPath: string
const officers: Record<string, { context: BrowserContext, page: Page }> = {}
let mehtaDir: string
let mehta: LongRunning | undefined
let mehtaPeerId: string

/** GET `path` from the node over HTTPS on its LAN address, trusting the department CA only. */
async function httpsJson (path: string): Promise<Record<string, unknown>> {
  const ca = await readFile(caPath, 'utf8')
  return await new Promise((resolve, reject) => {
    httpsGet(new URL(path, node.webUrl), { ca, timeout: 5_000 }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => { body += chunk.toString() })
      response.on('end', () => { try { resolve(JSON.parse(body) as Record<string, unknown>) } catch (err) { reject(err) } })
    }).on('error', reject)
  })
}

/**
 * One address kind for a page: its /api/info is the node's real answer
 * (fetched here over HTTPS, as Playwright's own fetch does not know the
 * department CA) with only the browser addresses `keep` accepts.
 */
async function officerPage (keep: (address: string) => boolean): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
  await context.route('**/api/info', async (route) => {
    const info = await httpsJson('/api/info') as { browserMultiaddrs: string[] }
    await route.fulfill({ json: { ...info, browserMultiaddrs: info.browserMultiaddrs.filter(keep) } })
  })
  return { context, page: await context.newPage() }
}

/** The serial of the certificate served on `port` of the node's LAN address, verified against the department CA. */
async function servedSerial (port: number): Promise<string> {
  const ca = await readFile(caPath, 'utf8')
  return await new Promise<string>((resolve, reject) => {
    const socket = tlsConnect({ host: lan.hostAddress, port, ca, timeout: 5_000 }, () => {
      const serial = socket.getPeerCertificate().serialNumber
      socket.destroy()
      resolve(serial)
    })
    socket.on('error', reject)
    socket.on('timeout', () => { socket.destroy(); reject(new Error('TLS handshake timed out')) })
  })
}

/** A plain-HTTP request to the node's LAN address (not loopback). */
async function plainHttp (method: string, path: string): Promise<{ status: number, location?: string, body: string }> {
  const url = new URL(node.webUrl)
  return await new Promise((resolve, reject) => {
    const request = httpRequest({ host: lan.hostAddress, port: Number(url.port), method, path, timeout: 5_000 }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => { body += chunk.toString() })
      response.on('end', () => { resolve({ status: response.statusCode ?? 0, ...(response.headers.location != null ? { location: response.headers.location } : {}), body }) })
    })
    request.on('error', reject)
    request.end(method === 'POST' ? Buffer.alloc(16) : undefined)
  })
}

/** `dak send` cannot open the data directory while `dak listen` holds it: stop listening, send, and leave it stopped. */
async function mehtaReplies (text: string): Promise<void> {
  expect(await mehta?.stop('SIGTERM')).toBe(0)
  mehta = undefined
  const reply = await dak(mehtaDir, ['send', 'Asha', text, '--json'])
  expect(reply.code, reply.stdout + reply.stderr).toBe(0)
}

async function mehtaPeer (): Promise<string> {
  const whoami = await dak(mehtaDir, ['whoami', '--json'])
  return peerIdFromPublicKey(publicKeyFromRaw(fromHex(whoami.lines[0]?.deviceKey as string))).toString()
}

const wsPort = (): number => Number(/\/tcp\/(\d+)\/tls\/ws\//.exec(node.multiaddrs().join(' '))?.[1])
const nodeConnectionIds = (peer: string): string[] => node.libp2p.getConnections(peerIdFromString(peer)).filter(c => c.status === 'open').map(c => c.id).sort()

describe.skipIf(!canCreateLan())('HTTPS for officers on other machines of the LAN', () => {
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'dak-https-lan-'))
    lan = await createLan()
    webRoot = await buildWebClient()
    // no certificate configured, a LAN address: the node makes its department CA (the one-command path)
    const config = await loadConfig({ overrides: { dataDir: join(scratch, 'node'), department: 'mof.budget', departmentName: 'Budget Division', host: lan.hostAddress, publicHost: lan.hostAddress, tcpPort: 0, wsPort: 0, webrtcDirectPort: 0, httpPort: 0, webRoot } })
    node = await createDepartmentNode(config, { onError: () => {}, tlsCheckIntervalMs: 250 })
    caPath = node.tls?.ca?.path ?? ''
    const home = join(scratch, 'home')
    await homeTrusting(home, caPath, 'Dak mof.budget')
    browser = await launchChromium({ executablePath: await lan.wrap('/usr/bin/chromium', scratch), env: { ...process.env as Record<string, string>, HOME: home } })
  }, 240_000)

  afterAll(async () => {
    await mehta?.stop('SIGTERM').catch(() => undefined)
    await killAll()
    await browser?.close()
    await node?.stop()
    await lan?.remove()
    if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true })
  })

  it('made a department CA on first start and names only https:// addresses', async () => {
    expect(node.tls?.created?.names).toContain(lan.hostAddress)
    expect(node.webUrl).toMatch(new RegExp(`^https://${lan.hostAddress.replace(/\./g, '\\.')}:\\d+/$`))
    const invite = await node.createInvite({ handle: 'probe', displayName: 'Probe', title: 'Probe' })
    expect(invite.link.startsWith(node.webUrl)).toBe(true)
    expect(node.browserMultiaddrs().some(a => a.includes('/tls/ws/'))).toBe(true)
    expect(node.browserMultiaddrs().some(a => /\/ws\//.test(a) && !a.includes('/tls/ws/'))).toBe(false)
  })

  it('plain HTTP on the LAN address answers with the redirect, never the app, the API or enrolment', async () => {
    const index = await readFile(join(webRoot, 'index.html'), 'utf8')
    for (const [method, path] of [['GET', '/'], ['GET', '/api/info'], ['POST', '/api/enrol'], ['GET', '//elsewhere.example/x']] as const) {
      const answer = await plainHttp(method, path)
      expect(answer.status, `${method} ${path}`).toBe(308)
      expect(answer.location?.startsWith(node.webUrl), `${method} ${path} → ${answer.location ?? ''}`).toBe(true)
      expect(answer.body).not.toContain(index.slice(0, 200))
      expect(answer.body).not.toContain('authorityPublicKey')
    }
    // the browser on the other machine follows it to the app, with the certificate trusted
    const { page } = await officerPage(() => true)
    await page.goto(node.webUrl.replace('https://', 'http://'))
    expect(page.url().startsWith(node.webUrl)).toBe(true)
    await page.getByTestId('enrol-button').waitFor({ timeout: 30_000 })
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true)
    await page.context().close()
  })

  it('enrols one browser that reaches the node over wss and one over WebRTC-Direct', async () => {
    const nodePeer = node.peerId.toString()
    officers.asha = await officerPage(a => a.includes('/tls/ws/'))
    officers.ravi = await officerPage(a => a.includes('/webrtc-direct/'))
    for (const [handle, name] of [['asha', 'Asha Rao'], ['ravi', 'Ravi Kumar']] as const) {
      const invite = await node.createInvite({ handle, displayName: name, title: 'Under Secretary' })
      const { page } = officers[handle] as { page: Page }
      await page.goto(invite.link)
      await enrol(page)
      await waitForMode(page, 'department')
    }
    const asha = officers.asha?.page as Page
    const ravi = officers.ravi?.page as Page
    await waitFor('asha on the node over wss', async () => (await connections(asha)).some(c => c.peer === nodePeer && c.address.includes('/tls/ws')))
    await waitFor('ravi on the node over WebRTC-Direct', async () => (await connections(ravi)).some(c => c.peer === nodePeer && c.address.includes('/webrtc-direct')))
    expect(node.libp2p.getConnections(peerIdFromString(await peerId(asha))).some(c => c.remoteAddr.toString().includes(`/ip4/${lan.guestAddress}/`))).toBe(true)
    await screenshot(asha, 'https-lan-enrolled')
  })

  it('chats with a dak device enrolled with the department CA', async () => {
    mehtaDir = join(scratch, 'mehta')
    const invite = await node.createInvite({ handle: 'mehta', displayName: 'Meera Mehta', title: 'Deputy Secretary' })
    const withoutCa = await dak(join(scratch, 'untrusting'), ['init', '--invite', invite.link, '--json'])
    expect(withoutCa.code).not.toBe(0) // the department CA is not in Node.js's store: the enrolment must not go through unverified
    const init = await dak(mehtaDir, ['init', '--invite', invite.link, '--ca', caPath, '--json'])
    expect(init.code, init.stdout + init.stderr).toBe(0)
    expect(init.lines[0]?.nodeUrl).toBe(new URL(node.webUrl).origin)
    mehtaPeerId = await mehtaPeer()
    mehta = dakInBackground(mehtaDir, ['listen', '--json'])
    await mehta.waitFor('mehta online', l => l.event === 'status' && l.status.departmentNodes === 1)

    const asha = officers.asha?.page as Page
    await asha.getByTestId('new-chat-button').click()
    await asha.locator('[data-testid=contact-item][data-handle=mehta]').click({ timeout: 30_000 })
    await openConversationId(asha)
    await send(asha, 'Meera, the LAN copy of the budget note is ready.')
    await mehta.waitFor('mehta gets the message', l => l.event === 'message' && l.message.text === 'Meera, the LAN copy of the budget note is ready.')
    await mehtaReplies('Thank you, reading it now.')
    await waitForMessage(asha, 'Thank you, reading it now.')
    mehta = dakInBackground(mehtaDir, ['listen', '--json'])
    await mehta.waitFor('mehta online again', l => l.event === 'status' && l.status.departmentNodes === 1)
  }, 180_000)

  it('renews the certificate while devices are connected and nothing drops', async () => {
    const httpPort = Number(new URL(node.webUrl).port)
    const before = { web: await servedSerial(httpPort), wss: await servedSerial(wsPort()) }
    expect(before.wss).toBe(before.web)
    const asha = officers.asha?.page as Page
    const ravi = officers.ravi?.page as Page
    const peers = [await peerId(asha), await peerId(ravi), mehtaPeerId]
    const openBefore = peers.map(nodeConnectionIds)
    for (const ids of openBefore) expect(ids).not.toHaveLength(0)
    const closed: string[] = []
    node.libp2p.addEventListener('connection:close', (evt) => { closed.push(evt.detail.remotePeer.toString()) })
    const statusLines = mehta?.lines.length ?? 0

    // what `dak-node tls renew` does; the running node sees the new files at its next check
    expect(await renewServerCertificate(join(scratch, 'node'), Date.now(), true)).toBe(true)
    await waitFor('the new certificate on the web port', async () => (await servedSerial(httpPort)) !== before.web, { timeoutMs: 10_000 })
    await waitFor('the new certificate on the wss port', async () => (await servedSerial(wsPort())) !== before.wss, { timeoutMs: 10_000 })
    expect(await servedSerial(wsPort())).toBe(await servedSerial(httpPort))

    // the open connections carry on, and messages still flow both ways over them
    await send(asha, 'After the certificate renewal.')
    await mehta?.waitFor('mehta gets the message after renewal', l => l.event === 'message' && l.message.text === 'After the certificate renewal.')
    expect(mehta?.lines.slice(statusLines).some(l => l.event === 'status' && l.status.departmentNodes === 0)).toBe(false)
    expect(peers.map(nodeConnectionIds)).toEqual(openBefore)
    expect(closed.filter(p => peers.includes(p))).toEqual([])
    await mehtaReplies('Still here after renewal.')
    await waitForMessage(asha, 'Still here after renewal.')

    // and a new page load is served with the new certificate, still trusted through the department CA
    await ravi.reload()
    await waitForMode(ravi, 'department')
  }, 120_000)
})
