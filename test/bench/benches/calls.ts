import { rm } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { buildWebClient, FAKE_MEDIA_ARGS, launchChromium, startDepartment } from '../../web/harness.js'
import { enrol, openConversation, openConversationId, peerId, waitForMode, waitForSubscriber } from '../../web/page.js'
import { median, ratio, sig } from '../lib/stats.js'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.js'

/**
 * Calls (docs/calls.md): time from pressing *Video* to media flowing both
 * ways, on loopback, between two Chromium pages served and relayed by a
 * real department node, the callee accepting the moment it rings. "Flowing"
 * is each side's getStats showing decoded video frames from the other.
 * Baseline: two RTCPeerConnections in one page with the same fake camera
 * and microphone, no signalling over the network and no SFrame: what the
 * browser alone needs to get media flowing.
 */

const CALLS = { full: 7, quick: 2 }
/** Only bounds a failure: on loopback a call connects in a few hundred ms. */
const CONNECT_MS = 30_000
const POLL_MS = 20

async function decodedBothWays (pages: Page[]): Promise<boolean> {
  for (const page of pages) {
    const ok = await page.evaluate(async () => {
      const stats = await window.__dak?.calls?.stats() ?? []
      return stats.length > 0 && stats.every(s => s.framesDecoded > 0)
    })
    if (!ok) return false
  }
  return true
}

async function until (what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + CONNECT_MS
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

/** The browser alone: a loopback pair of peer connections in one page, offer to first decoded frame. */
async function rawSetupMs (page: Page): Promise<number> {
  return await page.evaluate(async () => {
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
    const t0 = performance.now()
    const a = new RTCPeerConnection({ iceServers: [] })
    const b = new RTCPeerConnection({ iceServers: [] })
    a.onicecandidate = (e) => { if (e.candidate !== null) void b.addIceCandidate(e.candidate) }
    b.onicecandidate = (e) => { if (e.candidate !== null) void a.addIceCandidate(e.candidate) }
    for (const track of media.getTracks()) a.addTrack(track, media)
    await a.setLocalDescription(await a.createOffer())
    await b.setRemoteDescription(a.localDescription!)
    await b.setLocalDescription(await b.createAnswer())
    await a.setRemoteDescription(b.localDescription!)
    for (;;) {
      let decoded = 0
      ;(await b.getStats()).forEach((s: { type: string, kind?: string, framesDecoded?: number }) => { if (s.type === 'inbound-rtp' && s.kind === 'video') decoded = s.framesDecoded ?? 0 })
      if (decoded > 0) break
      if (performance.now() - t0 > 30_000) throw new Error('raw pair never decoded a frame')
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    const ms = performance.now() - t0
    a.close(); b.close()
    for (const t of media.getTracks()) t.stop()
    return ms
  })
}

async function run (bench: BenchContext): Promise<BenchResult> {
  bench.progress('building the web client (test mode) and starting a department node')
  const webRoot = await buildWebClient()
  const department = await startDepartment(webRoot)
  let browser: Browser | undefined
  try {
    browser = await launchChromium({ args: FAKE_MEDIA_ARGS })
    const pages: Page[] = []
    for (const [handle, name] of [['ravi', 'Ravi Kumar'], ['asha', 'Asha Rao']]) {
      const page = await (await browser.newContext()).newPage()
      const invite = await department.node.createInvite({ handle: handle!, displayName: name!, title: 'Officer' })
      await page.goto(department.node.httpUrl)
      await enrol(page, invite.code)
      pages.push(page)
    }
    const [ravi, asha] = pages as [Page, Page]
    await ravi.reload()
    await waitForMode(asha, 'department')
    await waitForMode(ravi, 'department')
    await asha.getByTestId('new-chat-button').click()
    await asha.locator('[data-testid=contact-item][data-handle=ravi]').click()
    const direct = await openConversationId(asha)
    await waitForSubscriber(asha, direct, await peerId(ravi))
    await waitForSubscriber(ravi, direct, await peerId(asha))
    await openConversation(ravi, direct)

    const count = bench.quick ? CALLS.quick : CALLS.full
    const setup: number[] = []
    const ringing: number[] = []
    for (let i = 0; i < count; i++) {
      bench.progress(`call ${i + 1} of ${count}`)
      const t0 = Date.now()
      await asha.getByTestId('call-video-button').click()
      await ravi.getByTestId('accept-call-button').waitFor({ timeout: CONNECT_MS })
      ringing.push(Date.now() - t0)
      await ravi.getByTestId('accept-call-button').click()
      await until('media both ways', async () => await decodedBothWays([asha, ravi]))
      setup.push(Date.now() - t0)
      await asha.getByTestId('hang-up-button').click()
      await ravi.getByTestId('call-panel').waitFor({ state: 'detached', timeout: CONNECT_MS })
      await asha.getByTestId('call-panel').waitFor({ state: 'detached', timeout: CONNECT_MS })
    }
    const raw: number[] = []
    for (let i = 0; i < count; i++) raw.push(await rawSetupMs(asha))

    const p50 = median(setup)
    const rawP50 = median(raw)
    return {
      figures: [{
        key: 'calls.setup-loopback',
        label: 'call → media flowing both ways, loopback, 2 Chromium pages (p50)',
        value: sig(p50),
        unit: 'ms',
        baseline: { label: 'one page, two RTCPeerConnections, no signalling or SFrame (p50)', value: sig(rawP50), unit: 'ms' },
        ratio: ratio(p50, rawP50),
        note: `${count} calls; ringing reached the callee after ${sig(median(ringing))} ms (p50)`
      }],
      details: { setupMs: setup, ringingMs: ringing, rawMs: raw }
    }
  } finally {
    await browser?.close()
    await department.stop()
    await rm(webRoot, { recursive: true, force: true })
  }
}

export const calls: Benchmark = {
  id: 'calls',
  title: 'Calls: time to media',
  budgetSeconds: { full: 120, quick: 60 },
  run
}
