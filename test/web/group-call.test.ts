/**
 * A group call of three browsers (a mesh: every page connects to both
 * others), docs/calls.md. Real Chromium with fake media, a real department
 * node on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { groupOfThree, type GroupOfThree } from './group-of-three.js'
import { message } from './page.js'
import { callStats, phase } from './call-page.js'

let pages: GroupOfThree['pages']
let group: string
let lab: GroupOfThree | undefined

beforeAll(async () => {
  lab = await groupOfThree()
  ;({ pages, group } = lab)
}, 240_000)

afterAll(async () => { await lab?.stop() })

describe('a group call', () => {
  it('connects every page to both others, and each decodes both', async () => {
    await pages.asha.getByTestId('call-video-button').click()
    for (const who of ['ravi', 'bala'] as const) {
      await pages[who].getByTestId('incoming-call').waitFor({ timeout: 20_000 })
      expect(await pages[who].getByTestId('call-status').textContent()).toContain('is calling you (video)')
    }
    await pages.ravi.getByTestId('accept-call-button').click()
    await pages.bala.getByTestId('accept-call-button').click()
    for (const [who, page] of Object.entries(pages)) {
      await waitFor(`${who} decodes both others`, async () => {
        const stats = await callStats(page)
        return stats.length === 2 && stats.every(s => s.framesDecoded > 0 && s.audioBytesReceived > 0)
      }, { timeoutMs: 60_000 })
      expect(await page.evaluate(() => window.__dak!.calls!.linkStates())).toEqual(['connected', 'connected'])
      expect((await page.evaluate(async () => await window.__dak!.calls!.frames())).counters.dropped).toBe(0)
    }
  })

  it('one leaving ends only their links; the last two hanging up ends the call', async () => {
    await pages.bala.getByTestId('hang-up-button').click()
    await pages.bala.getByTestId('call-panel').waitFor({ state: 'detached', timeout: 20_000 })
    for (const who of ['asha', 'ravi'] as const) {
      await waitFor(`${who} down to one link`, async () => (await callStats(pages[who])).length === 1, { timeoutMs: 20_000 })
      expect(await phase(pages[who])).toBe('active')
    }
    await pages.asha.getByTestId('hang-up-button').click()
    await pages.ravi.getByTestId('call-panel').waitFor({ state: 'detached', timeout: 20_000 })
    expect(await phase(pages.ravi)).toBeNull()
    await message(pages.bala, 'Incoming video call ·').waitFor({ timeout: 20_000 })
    await message(pages.asha, 'Outgoing video call ·').waitFor({ timeout: 20_000 })
  })
})
