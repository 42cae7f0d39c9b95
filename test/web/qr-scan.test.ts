/**
 * Issue 16: QR codes read with the camera. Chromium's fake camera plays a
 * picture of a QR code (qr-video.ts). Ravi scans the safety-number QR of
 * Mehta's device on his *Verify* screen: a match, and then, shown another
 * device's code, a mismatch. A fresh browser scans the link-code QR Mehta's
 * Node.js device got, and enrols as Mehta with it (the code and whom it is
 * for filled in from the picture; the officer still presses *Enrol*). Real
 * Chromium, a real department node.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDeskAndField, type DeskAndFieldWorld } from './desk-and-field-world.js'
import { FAKE_MEDIA_ARGS } from './harness.js'
import { enrol, openConversation, waitForCaughtUp } from './page.js'
import { writeQrVideo } from './qr-video.js'

let world: DeskAndFieldWorld | undefined
let scratch = ''
let camera = ''

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dak-qr-'))
  camera = join(scratch, 'camera.y4m')
  // a picture must be there when the browser starts; each test writes what the camera sees before it scans
  await writeQrVideo(camera, 'nothing yet')
  world = await openDeskAndField(undefined, { browserArgs: [...FAKE_MEDIA_ARGS, `--use-file-for-fake-video-capture=${camera}`] })
}, 180_000)
afterAll(async () => {
  await world?.stop()
  await rm(scratch, { recursive: true, force: true })
})

describe('QR codes read with the camera', () => {
  it('compares safety numbers by scanning the other device\'s QR code: a match, then a mismatch', async () => {
    if (world === undefined) throw new Error('the world did not start')
    const { page, mehta, direct } = world
    await writeQrVideo(camera, (await mehta.messenger.safetyNumber('ravi')).qrPayload)
    await openConversation(page, direct)
    await page.getByTestId('safety-button').click()
    await page.getByTestId('safety-scan-button').click()
    const result = page.getByTestId('safety-scan-result')
    await result.waitFor({ timeout: 30_000 })
    expect(await result.getAttribute('data-match')).toBe('true')

    // the QR code of a number over other keys (one character of its first half changed) does not match
    const genuine = (await mehta.messenger.safetyNumber('ravi')).qrPayload
    const prefix = 'dak:safety/1/'
    const body = genuine.slice(prefix.length)
    await writeQrVideo(camera, prefix + (body[0] === 'A' ? 'B' : 'A') + body.slice(1))
    await page.getByTestId('safety-scan-button').click()
    await page.locator('[data-testid=safety-scan-result][data-match=false]').waitFor({ timeout: 30_000 })

    // and a QR code that is no safety number at all says so
    await writeQrVideo(camera, 'https://example.org/not-a-safety-number')
    await page.getByTestId('safety-scan-button').click()
    await page.locator('[data-testid=safety-scan-result][data-match=unreadable]').waitFor({ timeout: 30_000 })
  }, 120_000)

  it('enrols a new browser of Mehta\'s by scanning the link-code QR her other device shows', async () => {
    if (world === undefined) throw new Error('the world did not start')
    const { browser, department, mehta } = world
    const link = await mehta.messenger.linkDevice()
    await writeQrVideo(camera, link.url)
    const tab = await (await browser.newContext({ viewport: { width: 1000, height: 740 } })).newPage()
    try {
      await tab.goto(department.node.httpUrl)
      await tab.getByTestId('enrol-scan-button').click()
      // read from the picture: the code and whom it is for; nothing is sent until the officer presses Enrol
      await tab.waitForFunction((code) => (document.querySelector('[data-testid=enrol-code-input]') as HTMLInputElement | null)?.value === code, link.code, { timeout: 30_000 })
      expect(await tab.getByTestId('enrol-invitee').textContent()).toContain('Mehta')
      await enrol(tab)
      await waitForCaughtUp(tab)
      expect(await tab.evaluate(() => window.__dak?.errors ?? [])).toEqual([])
      await tab.getByTestId('my-devices-button').click()
      await tab.locator('[data-testid=my-devices] [data-this-device=true]').waitFor({ timeout: 30_000 })
    } finally {
      await tab.context().close()
    }
  }, 120_000)
})
