import { multiaddr } from '@multiformats/multiaddr'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { DakError } from '@dak/protocol'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { openOnLoopback } from '../helpers/mesh.js'
import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { waitFor } from '../helpers/wait.js'
import { startCaptureProxy, type CaptureProxy } from './capture-proxy.js'

const opened: OpenDevice[] = []
const provisioned: ProvisionedDevice[] = []
const proxies: CaptureProxy[] = []

afterEach(async () => {
  await Promise.all(opened.splice(0).map(async d => { await d.stop() }))
  await Promise.all(proxies.splice(0).map(async p => { await p.close() }))
  await Promise.all(provisioned.splice(0).map(async d => { await d.cleanup() }))
})

const CANARY = 'CANARY-9f2c41d7-budget-figures'

describe('THREATS: network attacker on the path', () => {
  it('sees no canary bytes, and none of 10,000 replayed or mutated envelopes is accepted', async () => {
    const authority = testAuthority()
    for (const handle of ['asha', 'bala']) provisioned.push(await provisionDevice(authority, handle))
    const a = await openOnLoopback(provisioned[0]!)
    const b = await openOnLoopback(provisioned[1]!)
    opened.push(a, b)
    const bTcp = b.libp2p.getMultiaddrs().find(m => m.toString().includes('/tcp/') && !m.toString().includes('/ws'))
    if (bTcp == null) throw new Error('bala has no TCP address')
    const port = /\/tcp\/(\d+)/.exec(bTcp.toString())?.[1]
    const proxy = await startCaptureProxy(Number(port))
    proxies.push(proxy)
    await a.libp2p.dial(multiaddr(`/ip4/127.0.0.1/tcp/${proxy.port}/p2p/${b.libp2p.peerId.toString()}`))
    await waitFor('asha knows bala', async () => (await a.messenger.contacts()).length === 1)

    // Keep the raw envelopes bala receives: what an attacker would replay and mutate.
    const raw: Uint8Array[] = []
    b.libp2p.services.pubsub.addEventListener('message', (event) => { raw.push(event.detail.data) })

    const chat = await a.messenger.startDirect('bala')
    await waitFor('bala joined', async () => (await b.messenger.conversations()).length === 1, { timeoutMs: 30_000 })
    await a.messenger.send(chat.id, `${CANARY} in a message`)
    const shown = async (): Promise<number> => (await b.messenger.history(chat.id)).messages.filter(m => m.text.includes(CANARY)).length
    await waitFor('canary message delivered', async () => await shown() === 1, { timeoutMs: 30_000 })

    // Everything between them went through the attacker's proxy.
    expect(a.libp2p.getConnections().map(c => c.remoteAddr.toString())).toEqual([`/ip4/127.0.0.1/tcp/${proxy.port}/p2p/${b.libp2p.peerId.toString()}`])
    const wire = proxy.captured()
    expect(wire.length).toBeGreaterThan(1000)
    for (const form of [Buffer.from(CANARY, 'utf8'), Buffer.from(CANARY, 'utf16le'), Buffer.from(CANARY.slice(0, 12), 'utf8')]) {
      expect(wire.includes(form)).toBe(false)
    }

    const applicationEnvelope = raw[raw.length - 1]
    if (applicationEnvelope == null) throw new Error('no envelope captured')
    const before = (await b.messenger.history(chat.id)).messages.length
    let accepted = 0
    // Replays: the same envelope again and again.
    for (let i = 0; i < 100; i++) await b.messenger.receiveEnvelope(applicationEnvelope)
    // Mutations: bit flips, truncation, extension, byte rewrites.
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('grow' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) })
      ),
      async (mutation) => {
        const bytes = new Uint8Array(applicationEnvelope)
        let mutated: Uint8Array
        if (mutation.kind === 'flip') { bytes[mutation.at % bytes.length]! ^= 1 << mutation.bit; mutated = bytes } else if (mutation.kind === 'cut') mutated = bytes.subarray(0, mutation.at % bytes.length)
        else if (mutation.kind === 'grow') mutated = new Uint8Array([...bytes, ...mutation.extra])
        else { const at = mutation.at % bytes.length; if (bytes[at] === mutation.value) return; bytes[at] = mutation.value; mutated = bytes }
        try {
          await b.messenger.receiveEnvelope(mutated)
          accepted++
        } catch (err) {
          expect(err).toBeInstanceOf(DakError)
        }
      }
    ), { numRuns: 9_900 })
    expect(accepted).toBe(0)
    await b.messenger.idle()
    expect((await b.messenger.history(chat.id)).messages.length).toBe(before)
    expect(await shown()).toBe(1)
  }, 180_000)
})
