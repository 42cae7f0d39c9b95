/**
 * Voice and video calls between two browsers (docs/calls.md): real Chromium
 * with its fake camera and microphone, a real department node on loopback,
 * the call signalled over /dak/call-signal/1.0.0 and its media encrypted
 * with SFrame under keys from the conversation's MLS exporter. The steps
 * share one pair of pages and run in order.
 */
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CallKeyring, sframeDecrypt, SFrameAuthenticationError } from '../../protocol/src/sframe/index.js'
import { fromHex, toHex } from '../../protocol/src/bytes.js'
import { clearBytes, type MediaKind } from '../../web/src/calls/frame-layout.js'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, FAKE_MEDIA_ARGS, launchChromium, screenshot, startDepartment, type Department } from './harness.js'
import { enrol, message, openConversation, openConversationId, peerId, waitForMode, waitForSubscriber } from './page.js'
import { phase, total, waitForGrowth, waitForMediaFlowing, waitForStill } from './call-page.js'

let webRoot: string
let department: Department
let browser: Browser
let asha: { context: BrowserContext, page: Page }
let ravi: { context: BrowserContext, page: Page }
let direct: string

async function officerPage (): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } })
  return { context, page: await context.newPage() }
}

/** Asha calls, Ravi accepts; resolves when both pages decode each other's media. */
async function connectCall (video: boolean): Promise<void> {
  await asha.page.getByTestId(video ? 'call-video-button' : 'call-voice-button').click()
  await ravi.page.getByTestId('incoming-call').waitFor({ timeout: 20_000 })
  await ravi.page.getByTestId('accept-call-button').click()
  await asha.page.locator('[data-testid=call-panel][data-phase=active]').waitFor({ timeout: 30_000 })
  await ravi.page.locator('[data-testid=call-panel][data-phase=active]').waitFor({ timeout: 30_000 })
}

beforeAll(async () => {
  webRoot = await buildWebClient()
  department = await startDepartment(webRoot)
  browser = await launchChromium({ args: FAKE_MEDIA_ARGS })
  asha = await officerPage()
  ravi = await officerPage()

  const raviInvite = await department.node.createInvite({ handle: 'ravi', displayName: 'Ravi Kumar', title: 'Section Officer' })
  await ravi.page.goto(department.node.httpUrl)
  await enrol(ravi.page, raviInvite.code)
  const ashaInvite = await department.node.createInvite({ handle: 'asha', displayName: 'Asha Rao', title: 'Under Secretary' })
  await asha.page.goto(department.node.httpUrl)
  await enrol(asha.page, ashaInvite.code)
  await ravi.page.reload()
  await waitForMode(asha.page, 'department')
  await waitForMode(ravi.page, 'department')

  await asha.page.getByTestId('new-chat-button').click()
  await asha.page.locator('[data-testid=contact-item][data-handle=ravi]').click()
  direct = await openConversationId(asha.page)
  await waitForSubscriber(asha.page, direct, await peerId(ravi.page))
  await waitForSubscriber(ravi.page, direct, await peerId(asha.page))
  await openConversation(ravi.page, direct)
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await department?.stop()
  if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
})

describe('calls between two browsers', () => {
  it('a declined call leaves a line on both sides and no call behind', async () => {
    await asha.page.getByTestId('call-voice-button').click()
    await ravi.page.getByTestId('incoming-call').waitFor({ timeout: 20_000 })
    expect(await ravi.page.getByTestId('call-status').textContent()).toContain('Asha Rao is calling you (voice)')
    await ravi.page.getByTestId('decline-call-button').click()
    await message(asha.page, 'Voice call · declined by Ravi Kumar').waitFor({ timeout: 20_000 })
    await message(ravi.page, 'Declined voice call from Asha Rao').waitFor({ timeout: 20_000 })
    expect(await phase(asha.page)).toBeNull()
    expect(await phase(ravi.page)).toBeNull()
  })

  it('a video call connects and both sides decode the other’s frames', async () => {
    await connectCall(true)
    await waitForMediaFlowing(asha.page, 'asha')
    await waitForMediaFlowing(ravi.page, 'ravi')
    for (const page of [asha.page, ravi.page]) {
      expect(await total(page, 'framesDecoded')).toBeGreaterThan(0)
      expect(await total(page, 'videoBytesReceived')).toBeGreaterThan(0)
      expect(await total(page, 'audioBytesReceived')).toBeGreaterThan(0)
      // every frame went through SFrame, and none failed to open
      const frames = await page.evaluate(async () => await window.__dak!.calls!.frames())
      expect(frames.counters.encrypted).toBeGreaterThan(0)
      expect(frames.counters.decrypted, JSON.stringify(frames.counters)).toBeGreaterThan(0)
      expect(frames.counters.dropped).toBe(0)
    }
    await screenshot(asha.page, 'call-active')
  })

  it('mute stops the audio bytes, and unmute brings them back', async () => {
    await asha.page.getByTestId('mute-button').click()
    // the button shows the state the call reports once the track is muted (setMuted is async)
    await asha.page.locator('[data-testid=mute-button][aria-pressed=true]').waitFor({ timeout: 10_000 })
    const stillSent = await waitForStill(asha.page, 'audioBytesSent')
    const stillReceived = await waitForStill(ravi.page, 'audioBytesReceived')
    // video keeps flowing meanwhile: the connection is alive, only the audio stopped
    const video = await total(asha.page, 'videoBytesSent')
    await waitForGrowth(asha.page, 'videoBytesSent', video + 20_000)
    expect(await total(asha.page, 'audioBytesSent')).toBe(stillSent)
    expect(await total(ravi.page, 'audioBytesReceived')).toBe(stillReceived)
    await asha.page.getByTestId('mute-button').click()
    await waitForGrowth(asha.page, 'audioBytesSent', stillSent)
    await waitForGrowth(ravi.page, 'audioBytesReceived', stillReceived)
  })

  it('camera off stops the video bytes', async () => {
    await asha.page.getByTestId('camera-button').click()
    const still = await waitForStill(asha.page, 'videoBytesSent')
    const audio = await total(asha.page, 'audioBytesSent')
    await waitForGrowth(asha.page, 'audioBytesSent', audio + 5_000)
    expect(await total(asha.page, 'videoBytesSent')).toBe(still)
    await asha.page.getByTestId('camera-button').click()
    await waitForGrowth(asha.page, 'videoBytesSent', still)
  })

  it('on a poor link the call falls back to audio, and video comes back once the link is good again', async () => {
    // loopback loses nothing: the poor-link check (link-quality.ts) is fed 20 % loss in place of getStats' figures
    await asha.page.evaluate(() => { window.__dak!.calls!.linkSample({ lossFraction: 0.2 }) })
    const note = asha.page.getByTestId('video-paused')
    await note.waitFor({ timeout: 15_000 })
    expect(await note.textContent()).toContain('you can still hear each other')
    const stillSent = await waitForStill(asha.page, 'videoBytesSent')
    const stillDecoded = await waitForStill(ravi.page, 'framesDecoded')
    const audio = await total(ravi.page, 'audioBytesReceived')
    await waitForGrowth(ravi.page, 'audioBytesReceived', audio + 5_000)
    expect(await total(asha.page, 'videoBytesSent')).toBe(stillSent)
    expect(await total(ravi.page, 'framesDecoded')).toBe(stillDecoded)
    // good samples again: video returns after five in a row (2 s apart)
    await asha.page.evaluate(() => { window.__dak!.calls!.linkSample({ lossFraction: 0 }) })
    await note.waitFor({ state: 'detached', timeout: 30_000 })
    await waitForGrowth(asha.page, 'videoBytesSent', stillSent)
    await waitForGrowth(ravi.page, 'framesDecoded', stillDecoded)
    await asha.page.evaluate(() => { window.__dak!.calls!.linkSample(null) })
  }, 90_000)

  it('frames captured on the way are SFrame ciphertext that only the call key opens', async () => {
    await asha.page.evaluate(() => { window.__dak!.calls!.capture(300) })
    await ravi.page.evaluate(() => { window.__dak!.calls!.capture(300) })
    const received = await waitFor('frames captured at ravi', async () => {
      const frames = await ravi.page.evaluate(async () => await window.__dak!.calls!.frames())
      return frames.received.filter(f => f.kind === 'video').length >= 30 ? frames.received : undefined
    })
    const sent = (await asha.page.evaluate(async () => await window.__dak!.calls!.frames())).sent
    const secret = await asha.page.evaluate(() => window.__dak!.calls!.secretHex())
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    // both ends derived the same secret from their own MLS state, and never sent it anywhere
    expect(await ravi.page.evaluate(() => window.__dak!.calls!.secretHex())).toBe(secret)

    // what Ravi's page received before decryption is byte for byte what Asha's worker sent
    const byCiphertext = new Map(sent.map(f => [f.ciphertext, f]))
    const matched = received.map(f => byCiphertext.get(f.ciphertext)).filter(f => f !== undefined)
    expect(matched.filter(f => f.kind === 'video').length).toBeGreaterThanOrEqual(10)
    expect(matched.filter(f => f.kind === 'audio').length).toBeGreaterThanOrEqual(10)

    const right = new CallKeyring(fromHex(secret!), () => true)
    const wrong = new CallKeyring(randomBytes(32), () => true)
    for (const frame of matched) {
      const plaintext = fromHex(frame.plaintext)
      const ciphertext = fromHex(frame.ciphertext)
      // the clear prefix is the codec header only; find it from the plaintext's own layout
      const clear = frame.kind === 'audio' ? clearBytes('audio', undefined, plaintext.length) : [clearBytes('video', 'key', plaintext.length), clearBytes('video', 'delta', plaintext.length)].find(n => toHex(ciphertext.subarray(0, n)) === toHex(plaintext.subarray(0, n)) && tryOpen(right, frame.kind as MediaKind, n, ciphertext) !== undefined)!
      const body = plaintext.subarray(clear)
      // the media itself is nowhere in what travelled
      if (body.length >= 16) expect(Buffer.from(ciphertext).includes(Buffer.from(body.subarray(0, 16)))).toBe(false)
      // the call key opens it to exactly what the encoder produced
      expect(tryOpen(right, frame.kind as MediaKind, clear, ciphertext)).toEqual(body)
      // any other key does not
      expect(() => sframeDecrypt(wrong.keyFor, ciphertext.subarray(0, clear), ciphertext.subarray(clear))).toThrow(SFrameAuthenticationError)
    }
  })

  it('a receiver without the key decodes nothing, though the bytes keep arriving', async () => {
    const secret = await ravi.page.evaluate(() => window.__dak!.calls!.secretHex())
    await ravi.page.evaluate((hex) => { window.__dak!.calls!.receiveUnder(hex) }, toHex(randomBytes(32)))
    const decoded = await waitForStill(ravi.page, 'framesDecoded', 1_500)
    const bytes = await total(ravi.page, 'videoBytesReceived')
    const dropped = (await ravi.page.evaluate(async () => await window.__dak!.calls!.frames())).counters.dropped
    await waitForGrowth(ravi.page, 'videoBytesReceived', bytes + 30_000)
    expect(await total(ravi.page, 'framesDecoded')).toBe(decoded)
    expect((await ravi.page.evaluate(async () => await window.__dak!.calls!.frames())).counters.dropped).toBeGreaterThan(dropped)
    // with the key back, frames decode again: the connection was alive all along
    await ravi.page.evaluate((hex) => { window.__dak!.calls!.receiveUnder(hex) }, secret!)
    await waitForGrowth(ravi.page, 'framesDecoded', decoded, 20_000)
  })

  it('hang-up closes the connection on both sides and leaves a line in each history', async () => {
    await asha.page.evaluate(() => { (window as unknown as { heldPcs: RTCPeerConnection[] }).heldPcs = window.__dak!.calls!.peerConnections() })
    await ravi.page.evaluate(() => { (window as unknown as { heldPcs: RTCPeerConnection[] }).heldPcs = window.__dak!.calls!.peerConnections() })
    await asha.page.getByTestId('hang-up-button').click()
    await asha.page.getByTestId('call-panel').waitFor({ state: 'detached', timeout: 20_000 })
    await ravi.page.getByTestId('call-panel').waitFor({ state: 'detached', timeout: 20_000 })
    for (const page of [asha.page, ravi.page]) {
      const states = await page.evaluate(() => (window as unknown as { heldPcs: RTCPeerConnection[] }).heldPcs.map(pc => pc.connectionState))
      expect(states.length).toBe(1)
      expect(states).toEqual(['closed'])
      expect(await phase(page)).toBeNull()
    }
    await message(asha.page, 'Outgoing video call ·').waitFor({ timeout: 20_000 })
    await message(ravi.page, 'Incoming video call ·').waitFor({ timeout: 20_000 })
    await screenshot(ravi.page, 'call-ended')
  })
})

function tryOpen (ring: CallKeyring, _kind: MediaKind, clear: number, ciphertext: Uint8Array): Uint8Array | undefined {
  try {
    return sframeDecrypt(ring.keyFor, ciphertext.subarray(0, clear), ciphertext.subarray(clear)).plaintext
  } catch {
    return undefined
  }
}
