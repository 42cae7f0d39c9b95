import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { connectAll, openOnLoopback } from '../helpers/mesh.js'
import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { waitFor } from '../helpers/wait.js'

const opened: OpenDevice[] = []
const provisioned: ProvisionedDevice[] = []

afterEach(async () => {
  await Promise.all(opened.splice(0).map(async d => { await d.stop() }))
  await Promise.all(provisioned.splice(0).map(async d => { await d.cleanup() }))
})

/** Run the crash sender until it reports the message queued, then SIGKILL it. */
async function sendThenKill (dir: string, conversationId: string, text: string): Promise<string> {
  const child = spawn(join(process.cwd(), 'node_modules/.bin/node'), ['--import', 'tsx', join(import.meta.dirname, 'crash-sender.ts'), dir, conversationId, text], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const id = await new Promise<string>((resolve, reject) => {
      let out = ''
      const timer = setTimeout(() => { reject(new Error('crash sender did not report in time')) }, 30_000)
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /QUEUED (\S+)/.exec(out)
        if (match?.[1] != null) { clearTimeout(timer); resolve(match[1]) }
      })
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`crash sender exited early with ${code}`)) })
    })
    return id
  } finally {
    child.kill('SIGKILL')
    await new Promise<void>((resolve) => { if (child.exitCode != null || child.signalCode != null) resolve(); else child.once('exit', () => { resolve() }) })
  }
}

describe('a client killed between compose and delivery', () => {
  it('delivers the message after restart, exactly once', async () => {
    const authority = testAuthority()
    for (const handle of ['asha', 'bala']) provisioned.push(await provisionDevice(authority, handle))
    const [asha, bala] = provisioned as [ProvisionedDevice, ProvisionedDevice]
    let a = await openOnLoopback(asha)
    const b = await openOnLoopback(bala)
    opened.push(b)
    await connectAll([a, b])
    await waitFor('asha knows bala', async () => (await a.messenger.contacts()).length === 1)
    const chat = await a.messenger.startDirect('bala')
    await waitFor('bala joined', async () => (await b.messenger.conversations()).length === 1, { timeoutMs: 30_000 })
    await a.messenger.idle()
    await a.stop()

    const queuedId = await sendThenKill(join(asha.dir, 'db'), chat.id, 'written before the crash')
    expect(queuedId.startsWith('q')).toBe(true)

    a = await openOnLoopback(asha)
    opened.push(a)
    const pending = await a.messenger.history(chat.id)
    expect(pending.messages.filter(m => m.text === 'written before the crash').map(m => m.state)).toEqual(['queued'])
    await a.libp2p.dial(b.libp2p.getMultiaddrs())
    const atBala = async (): Promise<number> => (await b.messenger.history(chat.id)).messages.filter(m => m.text === 'written before the crash').length
    await waitFor('message delivered after restart', async () => await atBala() === 1, { timeoutMs: 30_000, subscribe: (wake) => b.messenger.on('message', wake) })
    await waitFor('delivery receipt back at asha', async () => (await a.messenger.history(chat.id)).messages.find(m => m.text === 'written before the crash')?.state === 'delivered', { timeoutMs: 30_000, subscribe: (wake) => a.messenger.on('message-state', wake) })
    // Retries and a full catch-up later must not show it twice.
    await a.messenger.idle()
    await b.messenger.idle()
    expect(await atBala()).toBe(1)
    expect((await a.messenger.history(chat.id)).messages.filter(m => m.text === 'written before the crash')).toHaveLength(1)
  }, 120_000)
})
