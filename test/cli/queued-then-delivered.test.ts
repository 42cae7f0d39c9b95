import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import type { ProvisionedDevice } from '../helpers/provision.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { lanPair } from './lan-pair.js'

/**
 * A send with nobody reachable is not lost and not an error: it exits with
 * EXIT.queuedOnly, and the message goes out when `dak listen` next reaches
 * the recipient — here two `dak listen` processes, one dialling the other.
 */

const devices: ProvisionedDevice[] = []

afterEach(async () => {
  await killAll()
  await Promise.all(devices.splice(0).map(async d => { await d.cleanup() }))
})

describe('dak send with no network', () => {
  it('exits queued-only, and dak listen delivers the message later', async () => {
    const [asha, bala] = await lanPair(devices)

    // set up the conversation while bala is online, then bala goes away (SIGTERM: a clean exit)
    const first = dakInBackground(bala.dir, ['listen', '--json'])
    const firstAddress = ((await first.waitFor('listening', l => l.event === 'listening')).addresses as string[])[0] as string
    const chat = await dak(asha.dir, ['chat', 'new', '--with', 'bala', '--json', '--peer', firstAddress, '--wait', '30'])
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    const conversation = chat.lines[0]?.id as string
    await first.waitFor('bala joins', l => l.event === 'conversation' && l.conversation.id === conversation)
    expect(await first.stop('SIGTERM')).toBe(EXIT.ok)

    const queued = await dak(asha.dir, ['send', 'Bala', 'while you were away', '--json', '--wait', '2'])
    expect(queued.code, queued.stdout + queued.stderr).toBe(EXIT.queuedOnly)
    expect(queued.lines[0]).toMatchObject({ conversationId: conversation, state: 'queued', text: 'while you were away' })
    const status = await dak(asha.dir, ['status', '--json', '--wait', '0'])
    expect(status.lines[0]).toMatchObject({ mode: 'offline', queued: 1 })

    const second = dakInBackground(bala.dir, ['listen', '--json'])
    const secondAddress = ((await second.waitFor('listening again', l => l.event === 'listening')).addresses as string[])[0] as string
    const sender = dakInBackground(asha.dir, ['listen', '--json', '--peer', secondAddress])
    const arrived = await second.waitFor('the queued message at bala', l => l.event === 'message' && l.message.text === 'while you were away')
    expect(arrived.message.conversationId).toBe(conversation)
    await sender.waitFor('delivery receipt at asha', l => l.event === 'message-state' && l.state === 'delivered')
    expect(await sender.stop('SIGINT')).toBe(EXIT.ok)
    expect(await second.stop('SIGINT')).toBe(EXIT.ok)

    const history = await dak(asha.dir, ['history', conversation, '--json'])
    expect((history.lines[0]?.messages as Array<{ text: string, state: string }>).filter(m => m.text === 'while you were away')).toEqual([expect.objectContaining({ state: 'delivered' })])
  }, 180_000)
})
