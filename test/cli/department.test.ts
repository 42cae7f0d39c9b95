import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/**
 * The whole path an officer takes: a real department node (127.0.0.1, ports
 * chosen by the OS), two invites, `dak init` into two data directories, then
 * a conversation between them in JSON, through the node only (no --peer).
 */

const fixture = new DepartmentFixture()

afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

describe('dak with a department node', () => {
  it('enrols two devices and carries a conversation through the node', async () => {
    const node = await fixture.start()
    const [asha, bala] = [await fixture.tempDir('asha'), await fixture.tempDir('bala')]
    const ashaInvite = await node.createInvite({ handle: 'asha', displayName: 'Asha Rao', title: 'Under Secretary' })
    const balaInvite = await node.createInvite({ handle: 'bala', displayName: 'Bala Iyer', title: 'Section Officer' })

    // a typed code needs the node's address; a web link carries it
    const initA = await dak(asha, ['init', '--invite', ashaInvite.code, '--node', node.httpUrl, '--json'])
    expect(initA.code, initA.stdout + initA.stderr).toBe(EXIT.ok)
    expect(initA.lines[0]).toMatchObject({ handle: 'asha', department: 'mof.budget', nodeUrl: node.httpUrl })
    const initB = await dak(bala, ['init', '--invite', balaInvite.link.replace(node.webUrl, node.httpUrl), '--json'])
    expect(initB.code, initB.stdout + initB.stderr).toBe(EXIT.ok)
    expect((await dak(bala, ['whoami', '--json'])).lines[0]).toMatchObject({ handle: 'bala', displayName: 'Bala Iyer' })

    // bala's first time online leaves key packages at the node, so asha can add bala while bala is away
    const online = await dak(bala, ['status', '--json'])
    expect(online.lines[0]).toMatchObject({ mode: 'department', departmentNodes: 1 })

    // --wait 60: on a loaded 2-core machine the default 10 s, and once 30 s, ended before the Welcome and the info were out; settle returns at 0 anyway
    const chat = await dak(asha, ['chat', 'new', '--with', 'bala', '--json', '--wait', '60'], { timeoutMs: 90_000 })
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    expect(chat.lines[0], chat.stderr).toMatchObject({ kind: 'direct', title: 'Bala Iyer', pending: 0 })
    const conversation = chat.lines[0]?.id as string

    const sent = await dak(asha, ['send', conversation, 'budget memo attached', '--json'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)
    expect(['stored', 'delivered', 'read']).toContain(sent.lines[0]?.state)

    // a short-lived command catches up from the node first; the 1:1 is titled by the other officer
    const history = await dak(bala, ['history', 'asha', '--json'])
    expect(history.code, history.stdout + history.stderr).toBe(EXIT.ok)
    expect(history.lines[0]?.conversationId).toBe(conversation)
    expect((history.lines[0]?.messages as Array<{ text: string }>).filter(m => m.text === 'budget memo attached')).toHaveLength(1)

    // and live: bala listens, asha sends, through the node
    const listening = dakInBackground(bala, ['listen', '--json'])
    await listening.waitFor('bala online', l => l.event === 'status' && l.status.departmentNodes === 1)
    const reply = await dak(asha, ['send', 'Bala', 'second memo', '--json'])
    expect(reply.code, reply.stdout + reply.stderr).toBe(EXIT.ok)
    await listening.waitFor('live message at bala', l => l.event === 'message' && l.message.text === 'second memo')
    expect(await listening.stop('SIGTERM')).toBe(EXIT.ok)
  }, 180_000)

  it('dak listen comes back online when the department node restarts', async () => {
    await fixture.start()
    const { asha, bala } = await fixture.ashaChatsWithBala()

    const listening = dakInBackground(bala, ['listen', '--json'])
    await listening.waitFor('bala online', l => l.event === 'status' && l.status.departmentNodes === 1)
    await fixture.stopNode()
    const offline = await listening.waitFor('bala sees the node go', l => l.event === 'status' && l.status.departmentNodes === 0)
    await fixture.restart()
    await listening.waitFor('bala back online', l => l.event === 'status' && l.status.departmentNodes === 1 && listening.lines.indexOf(l) > listening.lines.indexOf(offline))

    const sent = await dak(asha, ['send', 'Bala', 'after the restart', '--json'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)
    await listening.waitFor('message after the restart', l => l.event === 'message' && l.message.text === 'after the restart')
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)
  }, 180_000)

  it('answers at once for an officer the department does not have, and --wait 0 does not wait or complain', async () => {
    await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    const started = Date.now()
    const nobody = await dak(asha, ['chat', 'new', '--with', 'nobody', '--json', '--wait', '60'], { timeoutMs: 90_000 })
    const took = Date.now() - started
    expect(nobody.code, nobody.stdout + nobody.stderr).toBe(EXIT.notFound)
    expect(nobody.lines[0]?.error?.name).toBe('UnknownOfficerError')
    // once the department's directory is in, waiting longer cannot bring the officer: far less than --wait
    expect(took).toBeLessThan(20_000)

    const quick = await dak(asha, ['status', '--wait', '0', '--json'])
    expect(quick.code, quick.stderr).toBe(EXIT.ok)
    expect(quick.stderr).not.toMatch(/abort|timeout|could not reach/i)
  }, 120_000)

  it('dak history says when it could not catch up, with its own exit code, and still shows what the device had', async () => {
    await fixture.start()
    const { asha, bala } = await fixture.ashaChatsWithBala()
    const sent = await dak(asha, ['send', 'Bala', 'first memo', '--json'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)

    const fresh = await dak(bala, ['history', 'asha', '--json'])
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(EXIT.ok)
    expect(fresh.lines[0]).toMatchObject({ upToDate: true })

    // the link is gone: what bala's device has is shown, and said not to be the whole story
    await fixture.stopNode()
    const stale = await dak(bala, ['history', 'asha', '--json', '--wait', '3'])
    expect(stale.code, stale.stdout + stale.stderr).toBe(EXIT.notUpToDate)
    expect(stale.lines[0]).toMatchObject({ upToDate: false })
    expect((stale.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)).toContain('first memo')
    expect(stale.stderr).toMatch(/not up to date: no department node could be reached/)

    await fixture.restart()
    const back = await dak(bala, ['history', 'asha', '--json'])
    expect(back.code, back.stdout + back.stderr).toBe(EXIT.ok)
    expect(back.lines[0]).toMatchObject({ upToDate: true })
  }, 180_000)
})
