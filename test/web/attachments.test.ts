/**
 * Attachments in the web client (docs/web.md, *Attachments*; issue 15): a
 * Node.js device (what `dak` runs) and a browser with Chromium's fake
 * microphone, on a real department node on loopback. The steps share one page
 * and run in order.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { crc32, deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { ChatMessage } from '../../node/src/messenger/api.js'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { buildWebClient, FAKE_MEDIA_ARGS, launchChromium, screenshot, startDepartment, type Department } from './harness.js'
import { deskAndField } from './desk-and-field.js'
import { openConversation } from './page.js'

/** Bounds each wait for a transfer of a few MB on loopback on a loaded machine. */
const TRANSFER_MS = 60_000

/** A truecolour PNG of `width` × `height` pixels from `rgb` (3 bytes a pixel). */
function png (width: number, height: number, rgb: Uint8Array): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0); header.writeUInt32BE(height, 4)
  header[8] = 8; header[9] = 2 // 8 bits, RGB
  const rows = Buffer.alloc(height * (1 + width * 3))
  for (let y = 0; y < height; y++) Buffer.from(rgb.subarray(y * width * 3, (y + 1) * width * 3)).copy(rows, y * (1 + width * 3) + 1)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

let webRoot: string
let department: Department
let browser: Browser
let page: Page
let mehta: OpenDevice
let stopMehta: (() => Promise<void>) | undefined
let direct: string
const arrived: ChatMessage[] = []

/** The next file message from the browser that Mehta's device receives and `pick` accepts. */
async function received (what: string, pick: (m: ChatMessage) => boolean): Promise<ChatMessage> {
  return await waitFor(what, () => arrived.find(m => m.kind === 'file' && !m.fromMe && pick(m)),
    { subscribe: (wake) => mehta.messenger.on('message', wake), timeoutMs: TRANSFER_MS })
}

function attachment (p: Page, fileId: string, held?: string): ReturnType<Page['locator']> {
  return p.locator(`[data-testid=attachment][data-file-id="${fileId}"]${held !== undefined ? `[data-held=${held}]` : ''}`)
}

beforeAll(async () => {
  webRoot = await buildWebClient()
  department = await startDepartment(webRoot)
  browser = await launchChromium({ args: FAKE_MEDIA_ARGS })
  page = await (await browser.newContext({ viewport: { width: 1000, height: 760 }, acceptDownloads: true })).newPage()

  const officers = await deskAndField(department, page, (device) => { device.messenger.on('message', m => { arrived.push(m) }) })
  ;({ mehta, direct, stop: stopMehta } = officers)
  await openConversation(page, direct)
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await stopMehta?.()
  await department?.stop()
  if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true })
})

describe('attachments between a Node.js device and a browser', () => {
  it('an image shows its preview before the download and itself after it', async () => {
    // noise does not compress: about 2.1 MB, over the 1 MB the browser fetches by itself
    const photo = png(1000, 700, randomBytes(1000 * 700 * 3))
    const preview = png(40, 28, new Uint8Array(40 * 28 * 3).fill(0x80))
    const sent = await mehta.messenger.sendFile(direct, { bytes: photo, name: 'site.png', mediaType: 'image/png', thumbnail: preview })
    const card = attachment(page, sent.attachment?.fileId ?? '')
    await card.locator('[data-testid=attachment-thumbnail]').waitFor({ timeout: TRANSFER_MS })
    // its status read: nothing of it here (over the 1 MB the browser fetches by itself)
    await attachment(page, sent.attachment?.fileId ?? '', 'remote').waitFor({ timeout: 10_000 })
    expect(await card.locator('[data-testid=attachment-image]').count()).toBe(0)
    expect(await card.locator('[data-testid=attachment-thumbnail]').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(40)
    await screenshot(page, 'attachment-image-preview')

    await card.getByTestId('attachment-download').click()
    await card.locator('[data-testid=attachment-image]').waitFor({ timeout: TRANSFER_MS })
    await page.waitForFunction((id) => (document.querySelector<HTMLImageElement>(`[data-file-id="${id}"] [data-testid=attachment-image]`)?.naturalWidth ?? 0) > 0, sent.attachment?.fileId, { timeout: TRANSFER_MS })
    expect(await card.locator('[data-testid=attachment-image]').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([1000, 700])
  }, 2 * TRANSFER_MS)

  it('a PDF downloads with progress on its card, and Save gives the same bytes', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5_000_000)])
    const sent = await mehta.messenger.sendFile(direct, { bytes: pdf, name: 'circular.pdf', mediaType: 'application/pdf' })
    const fileId = sent.attachment?.fileId ?? ''
    const card = attachment(page, fileId)
    await card.waitFor({ timeout: TRANSFER_MS })
    expect(await card.getByTestId('attachment-name').textContent()).toBe('circular.pdf')
    expect(await card.textContent()).toContain('PDF · 5 MB')
    await attachment(page, fileId, 'remote').waitFor({ timeout: 10_000 })

    // every value the progress bar shows, recorded in the page as it renders
    await page.evaluate((id) => {
      const seen: number[] = []
      ;(window as unknown as { progressSeen: number[] }).progressSeen = seen
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>(`[data-file-id="${id}"] [data-testid=attachment-progress]`)
        if (bar !== null && seen[seen.length - 1] !== bar.value) seen.push(bar.value)
      }).observe(document.body, { subtree: true, childList: true, attributes: true })
    }, fileId)
    await card.getByTestId('attachment-download').click()
    await attachment(page, fileId, 'complete').waitFor({ timeout: TRANSFER_MS })
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen)
    const total = Math.ceil(pdf.length / 65_536)
    expect(seen.some(v => v > 0 && v < total), `progress values shown: ${seen.join(', ')}`).toBe(true)

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TRANSFER_MS }), card.getByTestId('attachment-save').click()])
    expect(download.suggestedFilename()).toBe('circular.pdf')
    expect(Buffer.compare(await readFile(await download.path()), pdf)).toBe(0)
  }, 2 * TRANSFER_MS)

  it('the officer\'s automatic-download choice: never, then as the department says again (issue 15)', async () => {
    const setting = page.getByTestId('auto-download-setting')
    await page.locator('[data-testid=auto-download-setting][data-source=department][data-bytes="1000000"]').waitFor({ timeout: 10_000 })
    await page.getByTestId('auto-download-select').selectOption('0')
    await page.locator('[data-testid=auto-download-setting][data-source=officer][data-bytes="0"]').waitFor({ timeout: 10_000 })
    // a small file stays on the node's side of the link until asked for
    const small = await mehta.messenger.sendFile(direct, { bytes: randomBytes(20_000), name: 'note.txt', mediaType: 'text/plain' })
    await attachment(page, small.attachment?.fileId ?? '', 'remote').waitFor({ timeout: TRANSFER_MS })
    await page.getByTestId('auto-download-select').selectOption('department')
    await page.locator('[data-testid=auto-download-setting][data-source=department]').waitFor({ timeout: 10_000 })
    expect(await setting.getAttribute('data-bytes')).toBe('1000000')
    // with the department's 1 MB again, the next small file comes by itself
    const next = await mehta.messenger.sendFile(direct, { bytes: randomBytes(20_000), name: 'note-2.txt', mediaType: 'text/plain' })
    await attachment(page, next.attachment?.fileId ?? '', 'complete').waitFor({ timeout: TRANSFER_MS })
    expect(await attachment(page, small.attachment?.fileId ?? '', 'remote').count()).toBe(1)
  }, 2 * TRANSFER_MS)

  it('a file dropped on the chat and an image attached reach the Node.js device intact, the image with a preview', async () => {
    const report = randomBytes(300_000)
    const dataTransfer = await page.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], 'report.bin', { type: 'application/octet-stream' }))
      return dt
    }, report.toString('base64'))
    await page.dispatchEvent('[data-testid=chat]', 'dragover', { dataTransfer })
    await page.dispatchEvent('[data-testid=chat]', 'drop', { dataTransfer })
    const dropped = await received('the dropped file', m => m.attachment?.name === 'report.bin')
    expect(Buffer.compare(Buffer.from((await mehta.messenger.download(dropped.id)).bytes), report)).toBe(0)

    const photo = png(900, 600, randomBytes(900 * 600 * 3))
    await page.getByTestId('attach-input').setInputFiles({ name: 'survey.png', mimeType: 'image/png', buffer: photo })
    const image = await received('the attached image', m => m.attachment?.name === 'survey.png')
    expect(image.attachment?.mediaType).toBe('image/png')
    const thumbnail = Buffer.from(image.attachment?.thumbnail ?? '', 'base64url')
    expect(thumbnail.length).toBeGreaterThan(0)
    expect(thumbnail.length).toBeLessThanOrEqual(16 * 1024)
    expect(thumbnail.subarray(8, 12).toString('latin1')).toBe('WEBP')
    expect(Buffer.compare(Buffer.from((await mehta.messenger.download(image.id)).bytes), photo)).toBe(0)
  }, 3 * TRANSFER_MS)

  it('a file over the limit is refused in plain words before it is read', async () => {
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer()
      dt.items.add(new File([new Uint8Array(100 * 1024 * 1024 + 1)], 'archive.zip', { type: 'application/zip' }))
      return dt
    })
    await page.dispatchEvent('[data-testid=chat]', 'drop', { dataTransfer })
    const error = page.locator('[data-testid=error-message][data-error-name=FileTooLargeError]')
    await error.waitFor({ timeout: 10_000 })
    expect(await error.getByTestId('error-text').textContent()).toContain('over the size Dak sends')
    await error.getByTestId('dismiss-error-button').click()
    expect(arrived.some(m => m.attachment?.name === 'archive.zip')).toBe(false)
  })

  it('a voice note recorded with the microphone arrives as Opus in WebM with its length', async () => {
    await page.getByTestId('voice-record').click()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=voice-recording]')?.getAttribute('data-elapsed-ms') ?? 0) >= 1500, undefined, { timeout: 20_000 })
    await page.getByTestId('voice-send').click()
    const note = await received('the voice note', m => m.attachment?.mediaType.startsWith('audio/webm') === true)
    expect(note.attachment?.durationMs ?? 0).toBeGreaterThanOrEqual(1000)
    const bytes = Buffer.from((await mehta.messenger.download(note.id)).bytes)
    expect(bytes.length).toBeGreaterThan(0)
    expect(bytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3') // EBML: a WebM file
    // the sender's own note plays inline from the chunks it kept
    await page.locator(`[data-testid=attachment][data-file-id="${note.attachment?.fileId ?? ''}"] [data-testid=attachment-audio]`).waitFor({ timeout: TRANSFER_MS })
    expect(await page.evaluate(() => window.__dak?.errors ?? [])).toEqual([])
    // nothing along the way (sending, the queued copies' status, the downloads) put up a banner
    expect(await page.getByTestId('error-message').count()).toBe(0)
    await screenshot(page, 'attachment-voice-note')
  }, 2 * TRANSFER_MS)
})
