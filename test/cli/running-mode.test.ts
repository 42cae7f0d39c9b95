import { chmod, stat, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { FrameReader } from '../../node/src/cli/running/frames.js'
import { socketPathOf } from '../../node/src/cli/running/socket-path.js'
import type { ProvisionedDevice } from '../helpers/provision.js'
import { dak, dakInBackground, killAll, type LongRunning } from './dak-process.js'
import { lanPair } from './lan-pair.js'

/**
 * Running mode: while `dak listen` has a data directory open, every other
 * `dak` command on it runs inside that process over DIR/run/dak.sock. Two
 * officers on a LAN (no department node): each runs `dak listen`, asha's
 * listen dials bala's, and the short-lived commands go through the sockets.
 */

const devices: ProvisionedDevice[] = []

afterEach(async () => {
  await killAll()
  await Promise.all(devices.splice(0).map(async d => { await d.cleanup() }))
})

async function pair (): Promise<[ProvisionedDevice, ProvisionedDevice]> {
  return await lanPair(devices)
}

/** bala listens; asha listens dialling bala; a 1:1 made through asha's socket. */
async function listeningPair (): Promise<{ asha: ProvisionedDevice, bala: ProvisionedDevice, ashaListen: LongRunning, balaListen: LongRunning, conversation: string, balaAddress: string }> {
  const [asha, bala] = await pair()
  const balaListen = dakInBackground(bala.dir, ['listen', '--json'])
  const hello = await balaListen.waitFor('bala listening', l => l.event === 'listening')
  const balaAddress = (hello.addresses as string[])[0] as string
  const ashaListen = dakInBackground(asha.dir, ['listen', '--json', '--peer', balaAddress])
  await ashaListen.waitFor('asha connected to bala', l => l.event === 'status' && l.status.peers === 1)
  const chat = await dak(asha.dir, ['chat', 'new', '--with', 'bala', '--json', '--wait', '30'])
  expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
  const conversation = chat.lines[0]?.id as string
  await balaListen.waitFor('bala joins', l => l.event === 'conversation' && l.conversation.id === conversation)
  return { asha, bala, ashaListen, balaListen, conversation, balaAddress }
}

describe('dak running mode', () => {
  it('while dak listen runs, 200 sends go through its socket, fast, and each arrives once', async () => {
    const { asha, bala, balaListen, conversation } = await listeningPair()

    // the socket is the owner's alone: 0600 in a 0700 directory
    const socket = await stat(socketPathOf(asha.dir))
    expect(socket.isSocket()).toBe(true)
    expect(socket.mode & 0o777).toBe(0o600)
    expect((await stat(join(asha.dir, 'run'))).mode & 0o777).toBe(0o700)

    const texts = Array.from({ length: 200 }, (_, i) => `memo ${i}`)
    const durations: number[] = []
    const started = Date.now()
    // four at a time, as a script would fire them
    for (let i = 0; i < texts.length; i += 4) {
      await Promise.all(texts.slice(i, i + 4).map(async (text) => {
        const t0 = Date.now()
        const sent = await dak(asha.dir, ['send', conversation, text, '--json'])
        durations.push(Date.now() - t0)
        expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)
        expect(['delivered', 'read']).toContain(sent.lines[0]?.state)
      }))
    }
    const total = Date.now() - started
    durations.sort((a, b) => a - b)
    console.log(`200 sends through the socket: ${total} ms in all, median ${durations[100]} ms, slowest ${durations[199]} ms`)
    // on its own each send opens the store and the network first (1.5-2.4 s on an idle machine, by the issue);
    // through the socket it is a process start and the send itself. Generous: this machine is shared.
    expect(durations[100]).toBeLessThan(2500)

    // every one arrives at bala exactly once
    await balaListen.waitFor('the last memo', l => l.event === 'message' && l.message.text === 'memo 199', 60_000)
    await balaListen.waitFor('all 200', () => balaListen.lines.filter(l => l.event === 'message' && texts.includes(l.message.text)).length >= 200, 60_000)
    const arrived = balaListen.lines.filter(l => l.event === 'message' && texts.includes(l.message.text)).map(l => l.message.text as string)
    expect(arrived.sort()).toEqual([...texts].sort())

    // history while bala listens: through bala's socket, each message once
    const history = await dak(bala.dir, ['history', 'asha', '--limit', '500', '--json'])
    expect(history.code, history.stderr).toBe(EXIT.ok)
    const seen = (history.lines[0]?.messages as Array<{ text: string }>).map(m => m.text).filter(t => texts.includes(t))
    expect(seen.sort()).toEqual([...texts].sort())
    // the same answer the command gives on its own (after listen stops)
    expect(await balaListen.stop('SIGINT')).toBe(EXIT.ok)
    await expect(stat(socketPathOf(bala.dir))).rejects.toThrow(/ENOENT/)
    const standalone = await dak(bala.dir, ['history', 'asha', '--limit', '500', '--json', '--wait', '0'])
    // ... except that, with --wait 0 and nobody in reach, it says it may not be up to date (exit 7)
    expect(standalone.code, standalone.stderr).toBe(EXIT.notUpToDate)
    expect(history.lines[0]?.upToDate).toBe(true)
    expect({ ...standalone.lines[0], upToDate: true }).toEqual(history.lines[0])
  }, 600_000)

  it('sends from standard input and --file through the socket; refuses a 1 MB message', async () => {
    const { asha, balaListen, conversation } = await listeningPair()
    const dash = await dak(asha.dir, ['send', conversation, '-', '--json'], { input: 'from a pipe, with a dash\n' })
    expect(dash.code, dash.stdout + dash.stderr).toBe(EXIT.ok)
    const piped = await dak(asha.dir, ['send', 'Bala', '--json'], { input: 'line one\nline two\n' })
    expect(piped.code, piped.stdout + piped.stderr).toBe(EXIT.ok)
    const file = join(asha.dir, 'memo.txt')
    await writeFile(file, 'from a file ✓\n')
    const fromFile = await dak(asha.dir, ['send', 'Bala', '--file', file, '--json'])
    expect(fromFile.code, fromFile.stdout + fromFile.stderr).toBe(EXIT.ok)
    for (const text of ['from a pipe, with a dash', 'line one\nline two', 'from a file ✓']) {
      await balaListen.waitFor(text, l => l.event === 'message' && l.message.text === text)
    }

    // a megabyte: over the protocol's 32 KiB, refused with a typed error and the usage code, nothing queued
    const big = join(asha.dir, 'big.txt')
    await writeFile(big, 'x'.repeat(1024 * 1024))
    const tooBigFile = await dak(asha.dir, ['send', 'Bala', '--file', big, '--json'])
    expect(tooBigFile.code).toBe(EXIT.usage)
    expect(tooBigFile.lines[0]?.error?.name).toBe('MessageTooLongError')
    const tooBigPipe = await dak(asha.dir, ['send', 'Bala', '-', '--json'], { input: 'y'.repeat(1024 * 1024) })
    expect(tooBigPipe.code).toBe(EXIT.usage)
    expect(tooBigPipe.lines[0]?.error?.name).toBe('MessageTooLongError')
    const empty = await dak(asha.dir, ['send', 'Bala', '-', '--json'], { input: '\n' })
    expect(empty.code).toBe(EXIT.usage)
    expect(empty.lines[0]?.error?.name).toBe('UsageError')
    // nothing of the refused sends was written: a queued message would show in history (the receipts
    // the accepted ones still wait on may be in the outbox, so its size is not the measure)
    const history = await dak(asha.dir, ['history', 'Bala', '--json'])
    const texts = (history.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)
    expect(texts.filter(t => /^[xy]+$/.test(t) || t === '')).toEqual([])
    expect(texts).toEqual(expect.arrayContaining(['from a pipe, with a dash', 'line one\nline two', 'from a file ✓']))
  }, 300_000)

  it('a stale socket left by a killed dak listen is removed and the command runs on its own', async () => {
    const [asha] = await pair()
    const listening = dakInBackground(asha.dir, ['listen', '--json'])
    await listening.waitFor('listening', l => l.event === 'listening')
    expect(await listening.stop('SIGKILL')).toBe(null)
    expect((await stat(socketPathOf(asha.dir))).isSocket()).toBe(true)
    const after = await dak(asha.dir, ['conversations', '--json', '--wait', '0'])
    expect(after.code, after.stdout + after.stderr).toBe(EXIT.ok)
    expect(after.lines[0]).toEqual([])
    await expect(stat(socketPathOf(asha.dir))).rejects.toThrow(/ENOENT/)
  }, 120_000)

  it('cuts off a client that breaks the protocol and goes on serving', async () => {
    const [asha] = await pair()
    const listening = dakInBackground(asha.dir, ['listen', '--json'])
    await listening.waitFor('listening', l => l.event === 'listening')
    // a frame header announcing 2 MB: refused before any of it is buffered
    const frames = await new Promise<unknown[]>((resolve, reject) => {
      const socket = connect(socketPathOf(asha.dir))
      const reader = new FrameReader()
      const got: unknown[] = []
      socket.on('data', (chunk: Buffer) => { got.push(...reader.push(chunk)) })
      socket.on('close', () => { resolve(got) })
      socket.on('error', reject)
      const header = Buffer.alloc(4)
      header.writeUInt32BE(2 * 1024 * 1024)
      socket.write(header)
    })
    expect(frames).toContainEqual({ t: 'exit', code: EXIT.failed })
    expect(JSON.stringify(frames)).toContain('RunningDakProtocolError')
    const whoami = await dak(asha.dir, ['whoami', '--json'])
    expect(whoami.code, whoami.stderr).toBe(EXIT.ok)
    expect(whoami.lines[0]).toMatchObject({ handle: 'asha', dataDir: asha.dir })
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)
  }, 120_000)

  it('serves no socket in a data directory other users may write to', async () => {
    const [asha] = await pair()
    await chmod(asha.dir, 0o777)
    const listening = dakInBackground(asha.dir, ['listen', '--json'])
    await listening.waitFor('listening', l => l.event === 'listening')
    expect(listening.stderr()).toMatch(/UnsafeDataDirError: .* is writable by other users/)
    await expect(stat(socketPathOf(asha.dir))).rejects.toThrow(/ENOENT/)
    const busy = await dak(asha.dir, ['conversations', '--json'])
    expect(busy.code).toBe(EXIT.failed)
    expect(busy.lines[0]?.error?.name).toBe('DataDirBusyError')
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)
  }, 120_000)
})
