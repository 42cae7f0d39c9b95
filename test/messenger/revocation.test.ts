import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('revoking an officer\'s device', () => {
  it('drops it from the mesh and from every group its admins run; it reads nothing after', async () => {
    const node = await world.start()
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    const chitra = await (await world.enrol('chitra'))()
    for (const d of [asha, bala, chitra]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 20_000 })
    const group = await asha.messenger.createGroup('Audit', ['bala', 'chitra'])
    for (const d of [bala, chitra]) await waitFor('joined', async () => (await d.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 30_000 })

    await node.revoke({ handle: 'chitra' })
    await waitFor('chitra removed from the group at bala', async () => {
      const members = (await bala.messenger.conversations()).find(c => c.id === group.id)?.members.map(m => m.handle)
      return members != null && !members.includes('chitra') && members.length === 2
    }, { timeoutMs: 30_000 })
    await waitFor('chitra cut off from the department node', () => chitra.messenger.status().departmentNodes === 0, { timeoutMs: 10_000 })

    await asha.messenger.send(group.id, 'after the revocation')
    await waitFor('bala reads it', async () => (await bala.messenger.history(group.id)).messages.some(m => m.text === 'after the revocation'), { timeoutMs: 30_000 })
    // A reconnect is refused: either the dial fails, or the gate hangs up within its deadline.
    const refused = await chitra.libp2p.dial(multiaddr(node.multiaddrs()[0]!)).then(
      async (connection) => { await waitFor('connection closed by the gate', () => connection.status !== 'open', { timeoutMs: 5_000 }); return true },
      () => true
    )
    expect(refused).toBe(true)
    expect(chitra.libp2p.services.directory.peers().some(p => p.peer.equals(node.peerId))).toBe(false)
    await chitra.messenger.catchUp().catch(() => 0)
    expect((await chitra.messenger.history(group.id)).messages.some(m => m.text === 'after the revocation')).toBe(false)
  }, 180_000)
})
