import { fromHex } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { officersTopic } from '@dak/protocol/department'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('an officer enrolled while the others are online', () => {
  it('becomes a contact at once, and she and they talk without anyone reconnecting', async () => {
    const node = await world.start()
    const asha = await (await world.enrol('asha'))()
    await waitFor('asha on the department node', () => asha.messenger.status().mode === 'department', { subscribe: (wake) => asha.messenger.on('status', wake) })
    await waitFor('asha subscribed to the officers topic at the node', () => node.libp2p.services.pubsub.getSubscribers(officersTopic('mof.budget')).some(p => p.equals(asha.libp2p.peerId)))
    expect((await asha.messenger.contacts()).map(c => c.handle)).toEqual([])

    const bala = await (await world.enrol('bala'))()
    await waitFor('asha knows bala', async () => (await asha.messenger.contacts()).some(c => c.handle === 'bala'))
    await waitFor('bala on the department node', () => bala.messenger.status().mode === 'department', { subscribe: (wake) => bala.messenger.on('status', wake) })
    const group = await asha.messenger.createGroup('Welcome desk', ['bala'])
    await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 30_000 })
    await bala.messenger.send(group.id, 'reporting for duty')
    await waitFor('asha reads bala', async () => (await asha.messenger.history(group.id)).messages.some(m => m.text === 'reporting for duty' && !m.fromMe), { timeoutMs: 30_000 })
    // her gossip passes asha's door check: asha's device knows bala's device now
    expect(asha.messenger.isKnownDevice(fromHex(bala.messenger.whoami().deviceKey))).toBe(true)
  }, 120_000)
})
