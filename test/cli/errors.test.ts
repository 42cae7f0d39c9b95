import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
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
      ['contacts', '--colour', '--json'],
      ['init', '--json'],
      ['group', 'create', 'Budget', '--json']
    ]
    for (const args of cases) {
      const result = await dak(dir, args)
      expect(result.code, args.join(' ')).toBe(EXIT.usage)
      expect(result.lines[0]?.error?.name, args.join(' ')).toBe('UsageError')
    }
    const bare = await dak(dir, [])
    expect(bare.code).toBe(EXIT.usage)
    expect(bare.stderr).toContain('dak send CONVERSATION TEXT')
    const help = await dak(dir, ['--help'])
    expect(help.code).toBe(EXIT.ok)
  }, 120_000)

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

  it('a data directory in use by dak listen is refused with DataDirBusyError', async () => {
    const device = await enrolled()
    const listening = dakInBackground(device.dir, ['listen', '--json'])
    await listening.waitFor('listening', l => l.event === 'listening')
    const busy = await dak(device.dir, ['conversations', '--json'])
    expect(busy.code).toBe(EXIT.failed)
    expect(busy.lines[0]?.error?.name).toBe('DataDirBusyError')
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)
  }, 60_000)

  it('init refuses a directory that is already enrolled', async () => {
    const device = await enrolled()
    const result = await dak(device.dir, ['init', '--invite', 'DAK-AAAA-BBBB-CCCC-DDDD-E', '--node', 'http://127.0.0.1:9', '--json'])
    expect(result.code).toBe(EXIT.failed)
    expect(result.lines[0]?.error?.name).toBe('AlreadyEnrolledError')
  }, 60_000)
})
