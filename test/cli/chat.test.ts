import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import type { ProvisionedDevice } from '../helpers/provision.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { lanPair } from './lan-pair.js'

/**
 * `dak chat NAME`, driven as a person would through its standard input: bala
 * chats through his running `dak listen` (running mode), asha's chat opens
 * her device itself and serves her socket meanwhile, so a `dak send` from
 * another terminal of hers goes through the chat's process.
 */

const devices: ProvisionedDevice[] = []

afterEach(async () => {
  await killAll()
  await Promise.all(devices.splice(0).map(async d => { await d.cleanup() }))
})

describe('dak chat', () => {
  it('prints arriving messages while lines typed are sent, alone and beside dak listen', async () => {
    const [asha, bala] = await lanPair(devices)
    const balaListen = dakInBackground(bala.dir, ['listen', '--json'])
    const address = ((await balaListen.waitFor('listening', l => l.event === 'listening')).addresses as string[])[0] as string
    const started = await dak(asha.dir, ['chat', 'new', '--with', 'bala', '--json', '--peer', address, '--wait', '30'])
    expect(started.code, started.stdout + started.stderr).toBe(EXIT.ok)
    const conversation = started.lines[0]?.id as string
    await balaListen.waitFor('bala joins', l => l.event === 'conversation' && l.conversation.id === conversation)
    const earlier = await dak(asha.dir, ['send', conversation, 'before the chat', '--json', '--peer', address, '--wait', '30'])
    expect(earlier.code, earlier.stdout + earlier.stderr).toBe(EXIT.ok)

    // asha: a chat of its own (no dak listen), with --json so the test reads its lines
    const ashaChat = dakInBackground(asha.dir, ['chat', 'Bala', '--json', '--peer', address], { stdin: true })
    // it opens with the history
    await ashaChat.waitFor('history', l => l.event === 'message' && l.message.text === 'before the chat')
    // bala: a chat through the running dak listen
    const balaChat = dakInBackground(bala.dir, ['chat', 'asha', '--json'], { stdin: true })
    await balaChat.waitFor('bala sees the history', l => l.event === 'message' && l.message.text === 'before the chat')

    ashaChat.type('hello from the chat\n')
    await balaChat.waitFor('asha\'s line at bala', l => l.event === 'message' && l.message.text === 'hello from the chat')
    await balaListen.waitFor('and in bala\'s listen', l => l.event === 'message' && l.message.text === 'hello from the chat')
    balaChat.type('hello back\n')
    await ashaChat.waitFor('bala\'s line at asha', l => l.event === 'message' && l.message.text === 'hello back')

    // while asha's chat runs, her other dak commands go through it
    const aside = await dak(asha.dir, ['send', 'Bala', 'from another terminal', '--json'])
    expect(aside.code, aside.stdout + aside.stderr).toBe(EXIT.ok)
    await balaChat.waitFor('the aside', l => l.event === 'message' && l.message.text === 'from another terminal')

    // /history prints again what is there; /quit ends the chat with exit 0
    balaChat.type('/history 5\n')
    await balaChat.waitFor('history again', () => balaChat.lines.filter(l => l.event === 'message' && l.message.text === 'before the chat').length === 2)
    balaChat.type('/quit\n')
    expect(await balaChat.endInput()).toBe(EXIT.ok)
    // a line typed just before the input ends is still sent
    ashaChat.type('last words\n')
    expect(await ashaChat.endInput()).toBe(EXIT.ok)
    await balaListen.waitFor('last words', l => l.event === 'message' && l.message.text === 'last words')
    // a chat fed by a pipe: what was piped in is sent (and delivered) before it ends
    const piped = await dak(asha.dir, ['chat', 'Bala', '--json', '--peer', address], { input: 'piped into the chat\n' })
    expect(piped.code, piped.stdout + piped.stderr).toBe(EXIT.ok)
    await balaListen.waitFor('the piped line', l => l.event === 'message' && l.message.text === 'piped into the chat')
    // each message once at bala's listen
    for (const text of ['hello from the chat', 'from another terminal', 'last words', 'piped into the chat']) {
      expect(balaListen.lines.filter(l => l.event === 'message' && l.message.text === text)).toHaveLength(1)
    }
    expect(await balaListen.stop('SIGINT')).toBe(EXIT.ok)
  }, 300_000)
})
