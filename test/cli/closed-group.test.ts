import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/** A member removed from a group, as `dak` shows it: closed, read-only, told once. */

const fixture = new DepartmentFixture()

afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

describe('a removed group member', () => {
  it('sees the group closed by whom, cannot send to it (exit 2, plain words), and is told once', async () => {
    await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    await fixture.officer('bala', 'Bala Iyer')
    const chandra = await fixture.officer('chandra', 'Chandra Das')
    const created = await dak(asha, ['group', 'create', 'Audit', '--members', 'bala', 'chandra', '--json'])
    expect(created.code, created.stdout + created.stderr).toBe(EXIT.ok)
    expect((await dak(asha, ['send', 'Audit', 'before the removal', '--json'])).code).toBe(EXIT.ok)

    const listening = dakInBackground(chandra, ['listen', '--json'])
    await listening.waitFor('chandra reads the group', l => l.event === 'message' && l.message.text === 'before the removal')
    const removed = await dak(asha, ['group', 'remove', 'Audit', 'chandra', '--json'])
    expect(removed.code, removed.stdout + removed.stderr).toBe(EXIT.ok)
    await listening.waitFor('chandra told', l => l.event === 'conversation-removed')
    expect((await dak(asha, ['send', 'Audit', 'after the removal', '--json'])).code).toBe(EXIT.ok)
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)
    // a later run catches up whatever the group said since: no second notice
    const again = dakInBackground(chandra, ['listen', '--json'])
    await again.waitFor('caught up', l => l.event === 'sync')
    expect(await again.stop('SIGINT')).toBe(EXIT.ok)
    expect([...listening.lines, ...again.lines].filter(l => l.event === 'conversation-removed')).toHaveLength(1)

    const list = await dak(chandra, ['conversations'])
    expect(list.code).toBe(EXIT.ok)
    expect(list.stdout).toMatch(/#Audit \(.*\) \[closed: you were removed by Asha Rao\]/)
    const sent = await dak(chandra, ['send', 'Audit', 'can I still write?'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.failed)
    expect(sent.stderr).toContain('you were removed from Audit by Asha Rao')
    const history = await dak(chandra, ['history', 'Audit', '--json'])
    expect(history.code).toBe(EXIT.ok)
    const texts = (history.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)
    expect(texts).toContain('before the removal')
    expect(texts).not.toContain('after the removal')
  }, 240_000)
})
