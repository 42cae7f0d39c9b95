import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { logLeafHash, NotInLogError, openTreeHead, verifyConsistency, verifyInclusion } from '@dak/protocol'
import { seededKey } from '../../../protocol/src/identity/test-fixtures.js'
import type { Db } from '../store/index.js'
import { PostgresDb } from '../store/postgres/postgres-db.js'
import { openTempDb, STORE_BACKENDS, stopTestEngine, testEngineUrl, type TempDb } from '../store/test-helpers.js'
import { CertificateLog } from './certificate-log.js'

const key = seededKey('log node')
const entry = (i: number): Uint8Array => new Uint8Array([7, i, i, i])

/** The log's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)
  let temp: TempDb<Db>
  beforeEach(async () => { temp = await openTempDb(backend) })
  afterEach(async () => { await temp.cleanup() })

  describe('the certificate log', () => {
    it('appends once, proves what it holds, and keeps it across a reopen', async () => {
      const log = await CertificateLog.open(temp.db, key, () => 1000)
      for (let i = 0; i < 5; i++) expect(await log.append('certificate', entry(i))).toBe(i)
      expect(await log.append('certificate', entry(2))).toBe(2)
      const before = log.head()
      expect(before.size).toBe(5)
      await log.append('revocation', entry(2)) // the same bytes as another kind are another entry
      expect(log.size).toBe(6)

      const reopened = await CertificateLog.open(await temp.reopen(), key, () => 2000)
      expect(reopened.size).toBe(6)
      const head = openTreeHead(reopened.head().bytes, key.publicKey)
      const found = reopened.inclusion(logLeafHash('certificate', entry(3)))
      verifyInclusion(logLeafHash('certificate', entry(3)), found.index, head.size, found.proof, head.root)
      verifyConsistency(before.size, head.size, before.root, head.root, reopened.consistency(before.size, head.size))
      expect(() => reopened.inclusion(logLeafHash('certificate', entry(9)))).toThrow(NotInLogError)
      expect(await reopened.entry(5)).toEqual(new Uint8Array([2, 7, 2, 2, 2]))
    })

    it.runIf(backend === 'postgres')('appended by two processes at once: one sequence of entries, the same head once refreshed', async () => {
      const db = temp.db as PostgresDb
      // a second connection pool on the same schema stands for a second department-node process
      const other = await PostgresDb.open({ url: testEngineUrl(), schema: db.schema })
      try {
        const a = await CertificateLog.open(db, key, () => 1000)
        const b = await CertificateLog.open(other, key, () => 1000)
        const indexes = await Promise.all(Array.from({ length: 20 }, async (_, i) => await (i % 2 === 0 ? a : b).append('certificate', entry(i))))
        expect([...indexes].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i))
        // the same bytes through the other process: its first index, not a second entry
        expect(await b.append('certificate', entry(4))).toBe(indexes[4])
        await Promise.all([a.refresh(), b.refresh()])
        expect(a.size).toBe(20)
        expect(a.head().root).toEqual(b.head().root)
      } finally {
        await other.close()
      }
    })
  })
})
