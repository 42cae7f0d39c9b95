import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { dak, dakInBackground, killAll, lonelyMdns } from './dak-process.js'

/**
 * Field officers on an office LAN with no department node: mDNS finds the
 * other devices without any flag, and when nothing answers, `dak` says what
 * it tried. The two devices here share an mDNS service name of their own
 * (DAK_MDNS_SERVICE), so other tests' devices stay out of it.
 */

const devices: ProvisionedDevice[] = []

afterEach(async () => {
  await killAll()
  await Promise.all(devices.splice(0).map(async d => { await d.cleanup() }))
})

describe('dak on a LAN, found by mDNS', () => {
  it('finds the other officer with no --peer and no --mdns, from a new config and an old one', async () => {
    const authority = testAuthority()
    const [asha, bala] = [await provisionDevice(authority, 'asha'), await provisionDevice(authority, 'bala')]
    devices.push(asha, bala)
    // asha: the config `dak init` writes now (mdns unset: on); bala: one from before, whose "mdns": false was only the old default
    await writeFile(join(asha.dir, 'config.json'), JSON.stringify({ version: 2, bootstrap: [], listen: ['/ip4/127.0.0.1/tcp/0'] }))
    await writeFile(join(bala.dir, 'config.json'), JSON.stringify({ bootstrap: [], listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false }))
    const env = { DAK_MDNS_SERVICE: lonelyMdns() }

    const listening = dakInBackground(bala.dir, ['listen', '--json'], { env })
    await listening.waitFor('listening', l => l.event === 'listening')
    const chat = await dak(asha.dir, ['chat', 'new', '--with', 'bala', '--json', '--wait', '30'], { env })
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    const conversation = chat.lines[0]?.id as string
    await listening.waitFor('bala joins', l => l.event === 'conversation' && l.conversation.id === conversation)
    const sent = await dak(asha.dir, ['send', conversation, 'found you on the LAN', '--json', '--wait', '30'], { env })
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)
    await listening.waitFor('the message', l => l.event === 'message' && l.message.text === 'found you on the LAN')
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)
  }, 180_000)

  it('says what it tried when nothing answers', async () => {
    const asha = await provisionDevice(testAuthority(), 'asha')
    devices.push(asha)
    // a --peer that no one answers at: a device that listened there once and is gone
    const gone = dakInBackground(asha.dir, ['listen', '--json'])
    const address = ((await gone.waitFor('listening', l => l.event === 'listening')).addresses as string[])[0] as string
    expect(await gone.stop('SIGINT')).toBe(EXIT.ok)

    const alone = await dak(asha.dir, ['status', '--wait', '3', '--peer', address, '--json'])
    expect(alone.code).toBe(EXIT.ok)
    expect(alone.lines[0]).toMatchObject({ mode: 'offline' })
    expect(alone.stderr).toContain('nothing reachable: going on with what this device knows. Tried:')
    expect(alone.stderr).toContain('department node: none configured')
    expect(alone.stderr).toMatch(new RegExp(`--peer ${address.replace(/[/.]/g, '\\$&')}: \\S`))
    expect(alone.stderr).toContain('mDNS (LAN discovery): on, found no Dak device on this network')

    const noMdns = await dak(asha.dir, ['status', '--wait', '1', '--no-mdns', '--json'])
    expect(noMdns.stderr).toContain('mDNS (LAN discovery): off (--no-mdns)')
    expect(noMdns.stderr).toContain('drop --no-mdns')
  }, 120_000)
})
