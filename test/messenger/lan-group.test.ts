import { afterEach, describe, expect, it } from 'vitest'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import type { ChatMessage } from '../../node/src/messenger/api.js'
import { connectAll, openOnLoopback } from '../helpers/mesh.js'
import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { waitFor } from '../helpers/wait.js'

const opened: OpenDevice[] = []
const provisioned: ProvisionedDevice[] = []

afterEach(async () => {
  await Promise.all(opened.splice(0).map(async d => { await d.stop() }))
  await Promise.all(provisioned.splice(0).map(async d => { await d.cleanup() }))
})

function inbox (device: OpenDevice): ChatMessage[] {
  const received: ChatMessage[] = []
  device.messenger.on('message', (m) => { received.push(m) })
  return received
}

async function until (device: OpenDevice, what: string, check: () => boolean): Promise<void> {
  await waitFor(what, check, { timeoutMs: 30_000, subscribe: (wake) => device.messenger.on('message', wake) })
}

describe('three officers on a LAN with no department node', () => {
  it('make a group, read each other, and a removed member reads nothing after', async () => {
    const authority = testAuthority()
    for (const handle of ['asha', 'bala', 'chitra']) provisioned.push(await provisionDevice(authority, handle))
    for (const device of provisioned) opened.push(await openOnLoopback(device))
    const [a, b, c] = opened as [OpenDevice, OpenDevice, OpenDevice]
    await connectAll(opened)
    await waitFor('contacts learned', async () => (await a.messenger.contacts()).length === 2)

    const atB = inbox(b)
    const atC = inbox(c)
    const atA = inbox(a)
    const group = await a.messenger.createGroup('Budget cell', ['bala', 'chitra'])
    await waitFor('bala joined', async () => (await b.messenger.conversations()).some(x => x.id === group.id), { timeoutMs: 30_000 })
    await waitFor('chitra joined', async () => (await c.messenger.conversations()).some(x => x.id === group.id), { timeoutMs: 30_000 })

    await a.messenger.send(group.id, 'first memo')
    await until(b, 'memo at bala', () => atB.some(m => m.text === 'first memo'))
    await until(c, 'memo at chitra', () => atC.some(m => m.text === 'first memo'))
    await b.messenger.send(group.id, 'noted')
    await until(a, 'reply at asha', () => atA.some(m => m.text === 'noted' && !m.fromMe))

    const bTitle = (await b.messenger.conversations()).find(x => x.id === group.id)
    expect(bTitle?.members.map(m => m.handle).sort()).toEqual(['asha', 'bala', 'chitra'])

    await a.messenger.removeMember(group.id, 'chitra')
    await waitFor('chitra removed at bala', async () => (await b.messenger.conversations()).find(x => x.id === group.id)?.members.length === 2, { timeoutMs: 30_000 })
    await a.messenger.send(group.id, 'after removal')
    await until(b, 'post-removal memo at bala', () => atB.some(m => m.text === 'after removal'))
    await a.messenger.idle()
    await c.messenger.idle()
    expect(atC.some(m => m.text === 'after removal')).toBe(false)
    const history = await c.messenger.history(group.id)
    expect(history.messages.some(m => m.text === 'after removal')).toBe(false)
  }, 120_000)
})
