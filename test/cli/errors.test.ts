import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import { formatInviteCode, INVITE_SECRET_BYTES, MAX_TEXT_BYTES } from '../../protocol/src/index.js'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { dak, dakInBackground, killAll, writeLanConfig } from './dak-process.js'

/** What scripts rely on: each failure has its exit code and a typed error on stdout in --json mode. */

const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  await killAll()
  await Promise.all(cleanups.splice(0).map(async c => { await c() }))
})

async function emptyDir (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dak-cli-empty-'))
  cleanups.push(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

async function enrolled (): Promise<ProvisionedDevice> {
  const device = await provisionDevice(testAuthority(), 'asha')
  await writeLanConfig(device.dir)
  cleanups.push(device.cleanup)
  return device
}

describe('dak exit codes', () => {
  it('usage errors exit 1 with a UsageError', async () => {
    const dir = await emptyDir()
    const cases = [
      ['frobnicate', '--json'],
      ['chat', '--json'],
      ['send', 'only-one-argument', '--json'],
      ['send', 'x', 'y', '--wait', 'soon', '--json'],
      ['history', 'x', '--limit', '0', '--json'],
      // a bad number: not a number, negative, over the documented most (500)
      ['history', 'x', '--limit', '1000', '--json'],
      ['history', 'x', '--limit', 'ten', '--json'],
      ['status', '--wait', '-1', '--json'],
      // an empty message, from the command line or standard input (none here: it is not a terminal)
      ['send', 'x', '', '--json'],
      ['send', 'x', '--json'],
      ['send', 'x', 'text', '--file', 'also-a-file', '--json'],
      ['send', 'x', '--file', 'no-such-file', '--json'],
      ['chat', '--json'],
      ['contacts', '--colour', '--json'],
      ['init', '--json'],
      ['group', 'create', 'Budget', '--json'],
      // disappearing messages: a timer that is not one of 1h, 1d, 7d, off; or none
      ['chat', 'timer', 'x', '5m', '--json'],
      ['chat', 'timer', 'x', '--json']
    ]
    for (const args of cases) {
      const result = await dak(dir, args)
      expect(result.code, args.join(' ')).toBe(EXIT.usage)
      expect(result.lines[0]?.error?.name, args.join(' ')).toBe('UsageError')
    }
    const limit = await dak(dir, ['history', 'x', '--limit', '1000'])
    expect(limit.stderr).toContain('--limit must be at most 500')
    const bare = await dak(dir, [])
    expect(bare.code).toBe(EXIT.usage)
    expect(bare.stderr).toContain('dak send CONVERSATION TEXT')
    const help = await dak(dir, ['--help'])
    expect(help.code).toBe(EXIT.ok)
  }, 120_000)

  it('a precedence that is not flash, immediate or routine exits 1 with a UsageError, before anything opens', async () => {
    const dir = await emptyDir()
    for (const [command, value] of [['send', 'urgent'], ['send', 'FLASH'], ['directive send', 'priority']] as const) {
      const result = await dak(dir, [...command.split(' '), 'x', 'text', '--precedence', value, '--json'])
      expect(result.code, `${command} ${value}`).toBe(EXIT.usage)
      expect(result.lines[0]?.error?.name, value).toBe('UsageError')
      expect(result.lines[0]?.error?.message, value).toContain('--precedence is one of flash, immediate, routine')
    }
  }, 60_000)

  it('a message over the protocol\'s limit exits 1 with MessageTooLongError, before anything opens', async () => {
    const dir = await emptyDir()
    const result = await dak(dir, ['send', 'x', 'é'.repeat(MAX_TEXT_BYTES / 2 + 1), '--json'])
    expect(result.code).toBe(EXIT.usage)
    expect(result.lines[0]?.error?.name).toBe('MessageTooLongError')
    expect(result.lines[0]?.error?.message).toContain(`at most ${MAX_TEXT_BYTES} bytes`)
    // exactly the limit is not refused for its size: the next problem is that there is no device here
    const longest = await dak(dir, ['send', 'x', 'é'.repeat(MAX_TEXT_BYTES / 2), '--json'])
    expect(longest.code).toBe(EXIT.notEnrolled)
  }, 60_000)

  it('init names the department node it could not reach and exits 2', async () => {
    const dir = await emptyDir()
    const code = formatInviteCode(randomBytes(INVITE_SECRET_BYTES))
    // a port nothing listens on: bound, then closed
    const server = createServer()
    await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
    const port = (server.address() as AddressInfo).port
    await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
    const result = await dak(dir, ['init', '--invite', code, '--node', `http://127.0.0.1:${port}`, '--json'])
    expect(result.code).toBe(EXIT.failed)
    expect(result.lines[0]?.error?.name).toBe('NodeUnreachableError')
    expect(result.lines[0]?.error?.message).toContain(`could not reach the department node at http://127.0.0.1:${port} (ECONNREFUSED): check the address`)
    const notUrl = await dak(dir, ['init', '--invite', code, '--node', 'node.example', '--json'])
    expect(notUrl.code).toBe(EXIT.usage)
    expect(notUrl.lines[0]?.error?.message).toContain('--node node.example is not a web address')
  }, 60_000)

  it('a data directory with no device exits 4 and creates nothing', async () => {
    const dir = await emptyDir()
    for (const args of [['whoami', '--json'], ['contacts', '--json'], ['send', 'x', 'y', '--json']]) {
      const result = await dak(dir, args)
      expect(result.code, args.join(' ')).toBe(EXIT.notEnrolled)
      expect(result.lines[0]?.error?.name).toBe('NotEnrolledError')
    }
    await expect(stat(join(dir, 'db'))).rejects.toThrow(/ENOENT/)
    const text = await dak(join(dir, 'nowhere'), ['status'])
    expect(text.code).toBe(EXIT.notEnrolled)
    expect(text.stderr).toMatch(/^error: NotEnrolledError: /m)
  }, 60_000)

  it('an unknown conversation or officer exits 5', async () => {
    const device = await enrolled()
    const send = await dak(device.dir, ['send', 'Nobody', 'hello', '--json'])
    expect(send.code).toBe(EXIT.notFound)
    expect(send.lines[0]?.error?.name).toBe('UnknownConversationError')
    const history = await dak(device.dir, ['history', 'dak/c/00000000000000000000000000000000', '--json'])
    expect(history.code).toBe(EXIT.notFound)
    const chat = await dak(device.dir, ['chat', 'new', '--with', 'zubair', '--json', '--wait', '0'])
    expect(chat.code).toBe(EXIT.notFound)
    expect(chat.lines[0]?.error?.name).toBe('UnknownOfficerError')
  }, 60_000)

  it('while dak listen runs, other commands answer through it; a process that serves no socket gets DataDirBusyError', async () => {
    const device = await enrolled()
    const listening = dakInBackground(device.dir, ['listen', '--json'])
    await listening.waitFor('listening', l => l.event === 'listening')
    const through = await dak(device.dir, ['conversations', '--json'])
    expect(through.code, through.stdout + through.stderr).toBe(EXIT.ok)
    expect(through.lines[0]).toEqual([])
    // exit codes come back from the running dak as they are
    const unknown = await dak(device.dir, ['history', 'Nobody', '--json'])
    expect(unknown.code).toBe(EXIT.notFound)
    expect(unknown.lines[0]?.error?.name).toBe('UnknownConversationError')
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)

    // the store held by a process that takes no commands (here: this test)
    const db = new ClassicLevel(join(device.dir, 'db'))
    await db.open()
    try {
      const busy = await dak(device.dir, ['conversations', '--json'])
      expect(busy.code).toBe(EXIT.failed)
      expect(busy.lines[0]?.error?.name).toBe('DataDirBusyError')
    } finally {
      await db.close()
    }
  }, 60_000)

  it('init refuses a directory that is already enrolled', async () => {
    const device = await enrolled()
    const result = await dak(device.dir, ['init', '--invite', 'DAK-AAAA-BBBB-CCCC-DDDD-E', '--node', 'http://127.0.0.1:9', '--json'])
    expect(result.code).toBe(EXIT.failed)
    expect(result.lines[0]?.error?.name).toBe('AlreadyEnrolledError')
  }, 60_000)
})
