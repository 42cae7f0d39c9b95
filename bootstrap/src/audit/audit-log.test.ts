import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { seededKey } from '../../../protocol/src/identity/test-fixtures.js'
import type { Db } from '../store/index.js'
import { AuditLog } from './audit-log.js'
import { AuditLogTamperedError } from './errors.js'

const key = seededKey('audit node')

/** A log of five entries, and the raw sublevels an attacker with the disk would edit. */
async function fiveEntries (): Promise<{ log: AuditLog, db: MemoryLevel<string, string>, entries: ReturnType<MemoryLevel<string, string>['sublevel']>, heads: ReturnType<MemoryLevel<string, string>['sublevel']> }> {
  const db = new MemoryLevel<string, string>()
  let clock = 1000
  const log = await AuditLog.open(db as unknown as Db, key, () => clock++)
  await log.append('invite-created', { handle: 'ravi.k', expiresAt: 5000 })
  await log.append('invite-redeemed', { handle: 'ravi.k' })
  await log.append('device-accepted', { handle: 'ravi.k', deviceKey: 'ab'.repeat(32), serial: 1 })
  await log.append('revocation', { target: 'ravi.k', serial: 1, revoked: ['ab'.repeat(32)] })
  await log.append('wipe-order', { handle: 'ravi.k', deviceKey: 'ab'.repeat(32) })
  return { log, db, entries: db.sublevel('audit', { valueEncoding: 'utf8' }), heads: db.sublevel('audit-head', { valueEncoding: 'utf8' }) }
}

const key16 = (i: number): string => i.toString().padStart(16, '0')

async function tampered (log: AuditLog): Promise<AuditLogTamperedError> {
  const err = await log.verify().then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(AuditLogTamperedError)
  return err as AuditLogTamperedError
}

describe('the audit log', () => {
  it('chains every entry to the one before, signs the head, and verifies across a reopen', async () => {
    const { log, db } = await fiveEntries()
    const verified = await log.verify()
    expect(verified.size).toBe(5)
    const listed = await log.list()
    expect(listed.map(e => e.action)).toEqual(['invite-created', 'invite-redeemed', 'device-accepted', 'revocation', 'wipe-order'])
    expect(listed[0]?.prev).toBe('0'.repeat(64))
    expect(listed[1]?.prev).not.toBe('0'.repeat(64))

    const reopened = await AuditLog.open(db as unknown as Db, key, () => 9000)
    await reopened.append('wipe-done', { deviceKey: 'ab'.repeat(32) })
    expect((await reopened.verify({ size: verified.size, hash: verified.hash })).size).toBe(6)
  })

  it('names an edited entry, in the middle and at the end', async () => {
    const { log, entries } = await fiveEntries()
    const text = await entries.get(key16(2)) as string
    await entries.put(key16(2), text.replace('"serial":1', '"serial":7'))
    expect((await tampered(log)).entry).toBe(2)

    const last = await fiveEntries()
    await last.entries.put(key16(4), (await last.entries.get(key16(4)) as string).replace('wipe-order', 'invite-created'))
    expect((await tampered(last.log)).entry).toBe(4)
  })

  it('names the entry whose link to its predecessor was rewritten', async () => {
    const { log, entries } = await fiveEntries()
    const entry = JSON.parse(await entries.get(key16(3)) as string) as { prev: string }
    await entries.put(key16(3), JSON.stringify({ ...entry, prev: 'ff'.repeat(32) }))
    expect((await tampered(log)).entry).toBe(3)
  })

  it('catches a deleted entry, in the middle (also with the rest renumbered) and at the end', async () => {
    const gap = await fiveEntries()
    await gap.entries.del(key16(1))
    expect((await tampered(gap.log)).entry).toBe(1)

    const renumbered = await fiveEntries()
    for (let i = 2; i < 5; i++) {
      const e = JSON.parse(await renumbered.entries.get(key16(i)) as string) as { index: number }
      await renumbered.entries.put(key16(i - 1), JSON.stringify({ ...e, index: i - 1 }))
    }
    await renumbered.entries.del(key16(4))
    expect((await tampered(renumbered.log)).entry).toBe(1)

    const end = await fiveEntries()
    await end.entries.del(key16(4))
    expect((await tampered(end.log)).entry).toBe(4)
  })

  it('catches reordered entries', async () => {
    const { log, entries } = await fiveEntries()
    const a = await entries.get(key16(1)) as string
    const b = await entries.get(key16(2)) as string
    await entries.put(key16(1), b)
    await entries.put(key16(2), a)
    expect((await tampered(log)).entry).toBe(1)
  })

  it('refuses a head that is not signed by the node key, and a rewrite the earlier head does not match', async () => {
    const { log, heads } = await fiveEntries()
    const head = JSON.parse(await heads.get('head') as string) as { at: number }
    await heads.put('head', JSON.stringify({ ...head, at: head.at + 1 }))
    const err = await tampered(log)
    expect(err.entry).toBeUndefined()
    expect(err.message).toMatch(/not signed/)

    // someone holding the node key too rebuilds a shorter, re-signed log: only a head noted earlier shows it
    const first = await fiveEntries()
    const noted = await first.log.verify()
    const forger = new MemoryLevel<string, string>()
    const rewritten = await AuditLog.open(forger as unknown as Db, key, () => 1000)
    await rewritten.append('invite-created', { handle: 'ravi.k', expiresAt: 5000 })
    expect((await rewritten.verify()).size).toBe(1)
    const shortErr = await rewritten.verify(noted).then(() => undefined, (e: unknown) => e)
    expect(shortErr).toBeInstanceOf(AuditLogTamperedError)
  })
})
