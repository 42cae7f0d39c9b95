import { generateSigningKeyPair } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { createDepartmentClient } from '../../node/src/department/index.js'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

const RECONNECTS = 50

/** Open the device and wait until its first catch-up from the department node has finished. */
async function openAndCatchUp (open: () => Promise<OpenDevice>, round: number): Promise<{ device: OpenDevice, errors: string[] }> {
  const device = await open()
  const errors: string[] = []
  device.messenger.on('error', (e) => { errors.push(`${e.name}: ${e.message}`) })
  let synced = false
  device.messenger.on('sync', (s) => { if (s.finished) synced = true })
  await waitFor(`catch-up after connection ${round} (errors: ${errors.join('; ')})`, () => synced, { timeoutMs: 20_000 })
  // every start-up step (key packages included) has run before the device goes away again
  await device.messenger.idle()
  return { device, errors }
}

describe('a device that connects to its department node again and again', () => {
  it(`still catches up after ${RECONNECTS} reconnects, keeps a bounded key-package stock, and never errs`, async () => {
    const node = await world.start()
    const openAsha = await world.enrol('asha')
    const openBala = await world.enrol('bala')
    const asha = await openAsha()
    let { device: bala } = await openAndCatchUp(openBala, 0)
    await waitFor('asha knows bala', async () => (await asha.messenger.contacts()).some(c => c.handle === 'bala'), { timeoutMs: 20_000 })
    const chat = await asha.messenger.startDirect('bala')
    await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === chat.id), { timeoutMs: 30_000 })
    await bala.messenger.idle()
    await bala.stop()

    const errors: string[] = []
    for (let round = 1; round <= RECONNECTS; round++) {
      const opened = await openAndCatchUp(openBala, round)
      await opened.device.stop()
      errors.push(...opened.errors)
    }
    expect(errors).toEqual([])

    await asha.messenger.send(chat.id, 'sent while bala was away')
    await waitFor('stored at the node', async () => (await asha.messenger.history(chat.id)).messages.some(m => m.text === 'sent while bala was away' && m.state !== 'queued' && m.state !== 'sent'), { timeoutMs: 20_000 })
    ;({ device: bala } = await openAndCatchUp(openBala, RECONNECTS + 1))
    expect((await bala.messenger.history(chat.id)).messages.filter(m => m.text === 'sent while bala was away')).toHaveLength(1)

    // the node keeps a topped-up stock, not 8 more per connection; the device keeps the private halves of those and little else
    const client = createDepartmentClient({ libp2p: bala.libp2p, node: node.peerId, deviceKeys: generateSigningKeyPair() })
    // the node's per-peer rate limit on this protocol (1 a second after a burst) is spent by the reconnects: wait for its bucket
    const held = await waitFor('the held-key-packages bucket to refill', async () => await client.heldKeyPackages().catch((err: Error) => {
      if (err.name !== 'RateLimitedError') throw err
      return undefined
    }), { timeoutMs: 20_000 })
    const stock = held.refs.length
    expect(stock).toBeGreaterThan(0)
    expect(stock).toBeLessThanOrEqual(32)
    const kept = (await bala.store.keyPackages.list()).filter(k => !k.lastResort).length
    expect(kept).toBeLessThanOrEqual(stock + 8)
  }, 300_000)
})
