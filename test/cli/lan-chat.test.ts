import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import type { ProvisionedDevice } from '../helpers/provision.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { lanPair } from './lan-pair.js'

/**
 * Two officers on a LAN with no department node, each with a data directory
 * provisioned by a test authority: bala runs `dak listen`, asha uses
 * short-lived commands that dial bala's printed address (--peer).
 */

const devices: ProvisionedDevice[] = []

afterEach(async () => {
  await killAll()
  await Promise.all(devices.splice(0).map(async d => { await d.cleanup() }))
})

async function pair (): Promise<[ProvisionedDevice, ProvisionedDevice]> {
  return await lanPair(devices)
}

describe('dak on a LAN', () => {
  it('starts a chat, sends, and the listener prints it; history shows it once', async () => {
    const [asha, bala] = await pair()
    const listening = dakInBackground(bala.dir, ['listen', '--json'])
    const hello = await listening.waitFor('listening line', l => l.event === 'listening')
    const peer = (hello.addresses as string[])[0] as string
    expect(hello.handle).toBe('bala')

    const chat = await dak(asha.dir, ['chat', 'new', '--with', 'bala', '--json', '--peer', peer, '--wait', '30'])
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    const conversation = chat.lines[0]?.id as string
    expect(conversation).toMatch(/^dak\/c\/[0-9a-f]{32}$/)
    await listening.waitFor('bala joins', l => l.event === 'conversation' && l.conversation.id === conversation)

    const sent = await dak(asha.dir, ['send', conversation, 'hello bala', '--json', '--peer', peer, '--wait', '30'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)
    expect(['delivered', 'read']).toContain(sent.lines[0]?.state)
    const arrived = await listening.waitFor('message at bala', l => l.event === 'message' && l.message.text === 'hello bala')
    expect(arrived.message.sender.handle).toBe('asha')
    expect(arrived.message.precedence).toBeUndefined()

    // issue 11 part 4: a flash message says so at the listener and in history
    const flash = await dak(asha.dir, ['send', conversation, 'river rising', '--precedence', 'flash', '--json', '--peer', peer, '--wait', '30'])
    expect(flash.code, flash.stdout + flash.stderr).toBe(EXIT.ok)
    expect(flash.lines[0]?.precedence).toBe('flash')
    const flashed = await listening.waitFor('flash at bala', l => l.event === 'message' && l.message.text === 'river rising')
    expect(flashed.message.precedence).toBe('flash')
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)
    // asha's device is gone and there is no department node: bala's history is what bala has, and says so
    const shown = await dak(bala.dir, ['history', 'ash', '--wait', '1'])
    expect(shown.code, shown.stderr).toBe(EXIT.notUpToDate)
    expect(shown.stderr).toContain("not up to date: no department node is configured and no member's device is in reach")
    expect(shown.stdout).toMatch(/Asha[^\n]*: \[FLASH\] river rising/)
    expect(shown.stdout).toMatch(/Asha[^\n]*: hello bala/)

    // by title prefix: a 1:1 is titled by the other officer
    const history = await dak(bala.dir, ['history', 'ash', '--json', '--wait', '1'])
    expect(history.code, history.stderr).toBe(EXIT.notUpToDate)
    expect(history.lines[0]?.upToDate).toBe(false)
    expect(history.lines[0]?.conversationId).toBe(conversation)
    expect((history.lines[0]?.messages as Array<{ text: string }>).filter(m => m.text === 'hello bala')).toHaveLength(1)

    const list = await dak(asha.dir, ['conversations', '--json'])
    expect(list.code).toBe(EXIT.ok)
    expect(list.lines[0]).toEqual([expect.objectContaining({ id: conversation, kind: 'direct', title: 'Bala' })])
  }, 180_000)
})
