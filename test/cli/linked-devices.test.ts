import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/**
 * Issue 16, linked devices, with `dak` processes and a real department node:
 * `dak device link` on an enrolled device gets a one-time code, and
 * `dak init --link CODE` enrols a new device as the same officer.
 */

const fixture = new DepartmentFixture()

afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

describe('dak device link', () => {
  it('enrols a second device of the same officer with the code the first one got', async () => {
    const node = await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    const link = await dak(asha, ['device', 'link', '--json'])
    expect(link.code, link.stdout + link.stderr).toBe(EXIT.ok)
    const { code, url, handle } = link.lines[0] as { code: string, url: string, handle: string }
    expect(handle).toBe('asha')
    expect(code).toMatch(/^DAK-/)
    expect(url).toMatch(/^dak:invite\//)

    const second = await fixture.tempDir('asha-phone')
    const init = await dak(second, ['init', '--link', code, '--node', node.httpUrl, '--json'])
    expect(init.code, init.stdout + init.stderr).toBe(EXIT.ok)
    const first = (await dak(asha, ['whoami', '--json'])).lines[0]
    const phone = (await dak(second, ['whoami', '--json'])).lines[0]
    expect(phone).toMatchObject({ handle: 'asha', displayName: 'Asha Rao' })
    expect(phone?.deviceKey).not.toBe(first?.deviceKey)
    // the code enrols one device only
    const third = await dak(await fixture.tempDir('asha-third'), ['init', '--link', url, '--node', node.httpUrl, '--json'])
    expect(third.code, third.stdout + third.stderr).not.toBe(EXIT.ok)
    expect(third.stdout + third.stderr).toMatch(/InviteAlreadyUsedError/)
  }, 180_000)

  it('a linked device, vouched for, joins a chat Bala started, and messages reach every device of both officers', async () => {
    const node = await fixture.start()
    const desk = await fixture.officer('asha', 'Asha Rao')
    const bala = await fixture.officer('bala', 'Bala Iyer')
    // Bala starts the chat: Asha's desk device is a member, not an admin, so the sequencer's own-device rule is what lets it add
    const chat = await dak(bala, ['chat', 'new', '--with', 'asha', '--json'])
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    const sent = await dak(desk, ['send', 'Bala', 'hello from the desk', '--json'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)
    // and a file: the history carries its manifest, so the phone can fetch it later
    const report = new Uint8Array(randomBytes(150_000))
    await writeFile(join(desk, 'report.pdf'), report)
    const sentFile = await dak(desk, ['send-file', 'Bala', join(desk, 'report.pdf'), '--json', '--wait', '30'])
    expect(sentFile.code, sentFile.stdout + sentFile.stderr).toBe(EXIT.ok)

    const link = await dak(desk, ['device', 'link', '--json'])
    const phone = await fixture.tempDir('asha-phone')
    const init = await dak(phone, ['init', '--link', link.lines[0]?.code as string, '--node', node.httpUrl])
    expect(init.code, init.stdout + init.stderr).toBe(EXIT.ok)
    const phoneKey = (await dak(phone, ['whoami', '--json'])).lines[0]?.deviceKey as string
    expect(init.stdout).toContain(`dak device vouch ${phoneKey.slice(0, 16)}`)
    // online once, so the node holds its key packages
    expect((await dak(phone, ['status', '--json'])).lines[0]?.departmentNodes).toBe(1)

    const vouch = await dak(desk, ['device', 'vouch', phoneKey.slice(0, 16), '--json'])
    expect(vouch.code, vouch.stdout + vouch.stderr).toBe(EXIT.ok)
    expect(vouch.lines[0]).toMatchObject({ device: { deviceKey: phoneKey, state: 'accepted' }, conversations: 1, pending: 0 })

    // Bala had accepted the desk device: he accepts the phone it vouched for, and is told
    const seen = await dak(bala, ['history', 'Asha', '--json'])
    const lines = (seen.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)
    expect(lines.some(t => t.startsWith('Asha Rao has a new device'))).toBe(true)
    expect(lines.some(t => /vouched for the new device .* it is accepted/.test(t))).toBe(true)
    const balaSees = await dak(bala, ['devices', 'asha', '--json'])
    expect((balaSees.lines[0]?.devices as Array<{ deviceKey: string, state: string }>).find(d => d.deviceKey === phoneKey)?.state).toBe('accepted')

    // the desk runs nothing now: the phone, online for a moment, joins, asks it for the history, and says it is still to come
    const early = await dak(phone, ['history', 'Bala', '--json'])
    expect(early.code, early.stdout + early.stderr).toBe(EXIT.ok)
    expect(early.lines[0]?.historyTransfer).toMatchObject({ device: (await dak(desk, ['whoami', '--json'])).lines[0]?.deviceKey, complete: false })
    expect((await dak(phone, ['history', 'Bala'])).stdout).toMatch(/\* earlier messages are still coming from your device [0-9a-f]{12}/)

    // both devices online (`dak listen`): the desk reads the request and sends the history, sealed to the phone
    const deskListen = dakInBackground(desk, ['listen', '--json'])
    const phoneListen = dakInBackground(phone, ['listen', '--json'])
    const historySent = await deskListen.waitFor('the desk sends the history', l => l.event === 'history-sent', 90_000)
    expect(historySent).toMatchObject({ device: phoneKey })
    expect(historySent.messages).toBeGreaterThanOrEqual(1)
    await phoneListen.waitFor('the phone has the history', l => l.event === 'history-transfer' && l.complete === true, 90_000)
    await Promise.all([deskListen.stop(), phoneListen.stop()])
    // the desk's file, sent before the phone existed: its message came with the history, its chunks from the node
    const saved = join(phone, 'report.pdf')
    const fetched = await dak(phone, ['download', (sentFile.lines[0]?.id as string).slice(0, 12), '--out', saved, '--json'])
    expect(fetched.code, fetched.stdout + fetched.stderr).toBe(EXIT.ok)
    expect(Buffer.from(await readFile(saved)).equals(Buffer.from(report))).toBe(true)

    // the phone is in the chat, titled by Bala; what it sends reaches Bala and the desk, and Bala's reply reaches both
    const fromPhone = await dak(phone, ['send', 'Bala', 'from the phone', '--json'])
    expect(fromPhone.code, fromPhone.stdout + fromPhone.stderr).toBe(EXIT.ok)
    const reply = await dak(bala, ['send', 'Asha', 'to both of your devices', '--json'])
    expect(reply.code, reply.stdout + reply.stderr).toBe(EXIT.ok)
    const texts = async (dir: string): Promise<string[]> => ((await dak(dir, ['history', 'Bala', '--json'])).lines[0]?.messages as Array<{ text: string }>).map(m => m.text)
    // 'hello from the desk' was written before the phone was enrolled: it came with the history
    expect(await texts(phone)).toEqual(expect.arrayContaining(['hello from the desk', 'from the phone', 'to both of your devices']))
    expect(await texts(desk)).toEqual(expect.arrayContaining(['hello from the desk', 'from the phone', 'to both of your devices']))
    expect(((await dak(bala, ['history', 'Asha', '--json'])).lines[0]?.messages as Array<{ text: string }>).map(m => m.text)).toEqual(expect.arrayContaining(['hello from the desk', 'from the phone']))

    // `dak devices` with no handle: this officer's own devices
    const own = await dak(desk, ['devices', '--json'])
    expect((own.lines[0]?.devices as Array<{ deviceKey: string, state: string, thisDevice: boolean }>).map(d => [d.deviceKey === phoneKey, d.state, d.thisDevice]).sort()).toEqual([[false, 'accepted', true], [true, 'accepted', false]])

    // the desk removes the phone from every conversation (no admin here either): it reads nothing written after
    const removed = await dak(desk, ['device', 'remove', phoneKey.slice(0, 16), '--json'])
    expect(removed.code, removed.stdout + removed.stderr).toBe(EXIT.ok)
    expect(removed.lines[0]).toMatchObject({ device: { deviceKey: phoneKey }, conversations: 1, pending: 0 })
    const after = await dak(bala, ['send', 'Asha', 'after the removal', '--json'])
    expect(after.code, after.stdout + after.stderr).toBe(EXIT.ok)
    expect(await texts(desk)).toContain('after the removal')
    expect(await texts(phone)).not.toContain('after the removal')
    const phoneChats = (await dak(phone, ['conversations', '--json'])).lines[0] as unknown as Array<{ state: string }>
    expect(phoneChats.map(c => c.state)).toEqual(['closed'])
  }, 300_000)

  it('gives a revoked device no code', async () => {
    const node = await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    await node.revoke({ handle: 'asha' })
    const link = await dak(asha, ['device', 'link', '--json'])
    expect(link.code, link.stdout + link.stderr).toBe(EXIT.revoked)
  }, 180_000)
})
