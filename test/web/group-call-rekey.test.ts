/**
 * Re-keying a call when the conversation's members change (docs/calls.md):
 * three pages in a group call, the admin removes one member mid-call. The
 * attack: the removed member holds the call key of the epoch it was in;
 * frames sent after the removal must not open under it, and its device must
 * leave the call. Real Chromium with fake media, a real department node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CallKeyring, sframeDecrypt } from '../../protocol/src/sframe/index.js'
import { fromHex } from '../../protocol/src/bytes.js'
import { clearBytes, type MediaKind } from '../../web/src/calls/frame-layout.js'
import { waitFor } from '../helpers/wait.js'
import type { Page } from 'playwright-core'
import { groupOfThree, type GroupOfThree } from './group-of-three.js'
import { callStats, phase, waitForGrowth, total } from './call-page.js'

let pages: GroupOfThree['pages']
let group: string
let lab: GroupOfThree | undefined

beforeAll(async () => {
  lab = await groupOfThree()
  ;({ pages, group } = lab)
}, 240_000)

afterAll(async () => { await lab?.stop() })

const secretOf = async (page: Page): Promise<string | undefined> => await page.evaluate(() => window.__dak?.calls?.secretHex())

/** The frame's body under `ring`, trying each clear-prefix length the frame's kind can have; undefined if none opens. */
function open (ring: CallKeyring, kind: MediaKind, plaintext: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined {
  const clears = kind === 'audio' ? [clearBytes('audio', undefined, plaintext.length)] : [clearBytes('video', 'key', plaintext.length), clearBytes('video', 'delta', plaintext.length)]
  for (const clear of clears) {
    try {
      return sframeDecrypt(ring.keyFor, ciphertext.subarray(0, clear), ciphertext.subarray(clear)).plaintext
    } catch {
      // not this layout, or not this key: the next layout, then undefined
    }
  }
  return undefined
}

describe('a member removed during a group call', () => {
  it('cannot open frames sent after the removal, and leaves the call', async () => {
    await pages.asha.getByTestId('call-video-button').click()
    for (const who of ['ravi', 'bala'] as const) await pages[who].getByTestId('incoming-call').waitFor({ timeout: 20_000 })
    await pages.ravi.getByTestId('accept-call-button').click()
    await pages.bala.getByTestId('accept-call-button').click()
    for (const [who, page] of Object.entries(pages)) {
      await waitFor(`${who} decodes both others`, async () => {
        const stats = await callStats(page)
        return stats.length === 2 && stats.every(s => s.framesDecoded > 0 && s.audioBytesReceived > 0)
      }, { timeoutMs: 60_000 })
    }
    // the key the removed member will keep: the call's secret at the epoch it was in
    const before = await secretOf(pages.bala)
    expect(before).toMatch(/^[0-9a-f]{64}$/)
    expect(await secretOf(pages.asha)).toBe(before)
    await pages.bala.evaluate(() => { (window as unknown as { heldPcs: RTCPeerConnection[] }).heldPcs = window.__dak!.calls!.peerConnections() })

    await pages.asha.getByTestId('members-button').click()
    await pages.asha.locator('[data-testid=member-item][data-handle=bala]').getByTestId('remove-member-button').click()

    // the two who remain derive a new secret from the new epoch, the same one independently
    const after = await waitFor('asha and ravi re-keyed', async () => {
      const [a, r] = [await secretOf(pages.asha), await secretOf(pages.ravi)]
      return a !== undefined && a !== before && a === r ? a : undefined
    }, { timeoutMs: 30_000 })

    // frames Asha's worker sends from now on (the capture is queued behind the new key in the worker)
    await pages.asha.evaluate(() => { window.__dak!.calls!.capture(200) })
    const sent = await waitFor('frames sent under the new key', async () => {
      const frames = await pages.asha.evaluate(async () => await window.__dak!.calls!.frames())
      return frames.sent.filter(f => f.kind === 'video').length >= 20 && frames.sent.filter(f => f.kind === 'audio').length >= 20 ? frames.sent : undefined
    }, { timeoutMs: 30_000 })
    const removedKey = new CallKeyring(fromHex(before!), () => true)
    const newKey = new CallKeyring(fromHex(after), () => true)
    for (const frame of sent) {
      const plaintext = fromHex(frame.plaintext)
      const ciphertext = fromHex(frame.ciphertext)
      expect(open(removedKey, frame.kind as MediaKind, plaintext, ciphertext)).toBeUndefined()
      expect(open(newKey, frame.kind as MediaKind, plaintext, ciphertext)).toBeDefined()
    }

    // the removed member's device left the call: its panel is gone, its connections closed
    await pages.bala.getByTestId('call-panel').waitFor({ state: 'detached', timeout: 30_000 })
    expect(await phase(pages.bala)).toBeNull()
    const held = await pages.bala.evaluate(() => (window as unknown as { heldPcs: RTCPeerConnection[] }).heldPcs.map(pc => pc.connectionState))
    expect(held).toEqual(['closed', 'closed'])
    // the others closed theirs to it and go on with each other under the new key
    for (const who of ['asha', 'ravi'] as const) {
      await waitFor(`${who} down to one link`, async () => (await callStats(pages[who])).length === 1, { timeoutMs: 20_000 })
      expect(await phase(pages[who])).toBe('active')
    }
    const decoded = await total(pages.ravi, 'framesDecoded')
    await waitForGrowth(pages.ravi, 'framesDecoded', decoded + 30, 20_000)

    await pages.asha.getByTestId('hang-up-button').click()
    await pages.ravi.getByTestId('call-panel').waitFor({ state: 'detached', timeout: 20_000 })
  }, 240_000)
})
