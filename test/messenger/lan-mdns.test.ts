import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { openDevice, type OpenDevice } from '../../node/src/device/open-device.js'
import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { waitFor } from '../helpers/wait.js'

const opened: OpenDevice[] = []
const provisioned: ProvisionedDevice[] = []

afterEach(async () => {
  await Promise.all(opened.splice(0).map(async d => { await d.stop() }))
  await Promise.all(provisioned.splice(0).map(async d => { await d.cleanup() }))
})

describe('an office LAN with no department node and no bootstrap list', () => {
  it('two officers find each other by mDNS and chat', async () => {
    const authority = testAuthority()
    // A service tag of this run's own, so parallel runs on the machine do not find each other.
    const mdns = { serviceTag: `_dak-test-${randomBytes(4).toString('hex')}._udp.local`, intervalMs: 500 }
    for (const handle of ['asha', 'bala']) provisioned.push(await provisionDevice(authority, handle))
    for (const device of provisioned) opened.push(await openDevice({ db: device.db(), listen: ['/ip4/127.0.0.1/tcp/0'], mdns }))
    const [a, b] = opened as [OpenDevice, OpenDevice]

    await waitFor('asha finds bala on the LAN', async () => (await a.messenger.contacts()).some(c => c.handle === 'bala'), { timeoutMs: 30_000 })
    expect(a.messenger.status().mode).toBe('peer-to-peer')
    const chat = await a.messenger.startDirect('bala')
    await a.messenger.send(chat.id, 'no internet here, still talking')
    await waitFor('bala joined', async () => (await b.messenger.conversations()).some(c => c.id === chat.id), { timeoutMs: 30_000 })
    await waitFor('bala reads it', async () => (await b.messenger.history(chat.id)).messages.some(m => m.text === 'no internet here, still talking'), { timeoutMs: 30_000, subscribe: (wake) => b.messenger.on('message', wake) })
    await b.messenger.send(chat.id, 'received')
    await waitFor('asha reads the answer', async () => (await a.messenger.history(chat.id)).messages.some(m => m.text === 'received' && !m.fromMe), { timeoutMs: 30_000, subscribe: (wake) => a.messenger.on('message', wake) })
  }, 90_000)
})
