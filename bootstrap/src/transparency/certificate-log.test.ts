import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { logLeafHash, NotInLogError, openTreeHead, verifyConsistency, verifyInclusion } from '@dak/protocol'
import { seededKey } from '../../../protocol/src/identity/test-fixtures.js'
import type { Db } from '../store/index.js'
import { CertificateLog } from './certificate-log.js'

const key = seededKey('log node')
const entry = (i: number): Uint8Array => new Uint8Array([7, i, i, i])

describe('the certificate log', () => {
  it('appends once, proves what it holds, and keeps it across a reopen', async () => {
    const db = new MemoryLevel<string, string>() as unknown as Db
    const log = await CertificateLog.open(db, key, () => 1000)
    for (let i = 0; i < 5; i++) expect(await log.append('certificate', entry(i))).toBe(i)
    expect(await log.append('certificate', entry(2))).toBe(2)
    const before = log.head()
    expect(before.size).toBe(5)
    await log.append('revocation', entry(2)) // the same bytes as another kind are another entry
    expect(log.size).toBe(6)

    const reopened = await CertificateLog.open(db, key, () => 2000)
    expect(reopened.size).toBe(6)
    const head = openTreeHead(reopened.head().bytes, key.publicKey)
    const found = reopened.inclusion(logLeafHash('certificate', entry(3)))
    verifyInclusion(logLeafHash('certificate', entry(3)), found.index, head.size, found.proof, head.root)
    verifyConsistency(before.size, head.size, before.root, head.root, reopened.consistency(before.size, head.size))
    expect(() => reopened.inclusion(logLeafHash('certificate', entry(9)))).toThrow(NotInLogError)
    expect(await reopened.entry(5)).toEqual(new Uint8Array([2, 7, 2, 2, 2]))
  })
})
