import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/**
 * What two officers see when the department withdraws one device, as `dak`
 * processes against a real department node: the revoked device says so in
 * plain words with its own exit code; the other officer keeps the chat by name.
 */

const fixture = new DepartmentFixture()

afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

describe('a revoked device', () => {
  it('is told, refuses to send with exit 6, and the other officer keeps the chat by name', async () => {
    const node = await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    const bala = await fixture.officer('bala', 'Bala Iyer')
    const chat = await dak(asha, ['chat', 'new', '--with', 'bala', '--json'])
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    expect((await dak(asha, ['send', 'Bala', 'before the revocation', '--json'])).code).toBe(EXIT.ok)
    expect((await dak(bala, ['history', 'Asha', '--json'])).code).toBe(EXIT.ok)

    await node.revoke({ handle: 'bala' })

    const sent = await dak(bala, ['send', 'Asha', 'am I still in?'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.revoked)
    expect(sent.stderr).toContain("This device's access was withdrawn by Budget Division on ")
    expect(sent.stderr).toContain('Ask your department IT.')
    const whoami = await dak(bala, ['whoami', '--json'])
    expect(whoami.code).toBe(EXIT.ok)
    expect(whoami.lines[0]).toMatchObject({ handle: 'bala', certificate: 'revoked', revoked: { department: 'Budget Division' } })
    const status = await dak(bala, ['status'])
    expect(status.code).toBe(EXIT.revoked)
    expect(status.stdout).toContain('revoked: This device\'s access was withdrawn by Budget Division')
    // what it had stays readable
    const kept = await dak(bala, ['history', 'Asha', '--json'])
    // ... and is said to be all there will be
    expect(kept.code, kept.stdout + kept.stderr).toBe(EXIT.notUpToDate)
    expect(kept.stderr).toContain("not up to date: this device's access was withdrawn by its department")
    expect((kept.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)).toContain('before the revocation')

    // asha's device removes bala's from the chat when it learns of the revocation
    const listening = dakInBackground(asha, ['listen', '--json'])
    await listening.waitFor('bala removed at asha', l => l.event === 'message' && l.message.kind === 'system' && String(l.message.text).includes('removed Bala Iyer'), 60_000)
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)

    const list = await dak(asha, ['conversations', '--json'])
    expect(list.lines[0]).toEqual([expect.objectContaining({ id: chat.lines[0]?.id, kind: 'direct', title: 'Bala Iyer', members: [expect.objectContaining({ handle: 'asha' })] })])
    const history = await dak(asha, ['history', 'Bala', '--json'])
    expect(history.code, history.stdout + history.stderr).toBe(EXIT.ok)
    expect((history.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)).toContain('before the revocation')
    const again = await dak(asha, ['send', 'Bala', 'are you there?', '--wait', '1'])
    expect(again.code, again.stdout + again.stderr).not.toBe(EXIT.notFound)
  }, 240_000)
})
