import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresBinDir, startLocalEngine, type LocalEngine } from '../../cluster/local-engine.js'
import { PostgresDb } from './postgres-db.js'

/**
 * With several hosts in --store, the department node must write to the
 * primary whatever the order: after a failover the old primary comes back as
 * a replica and may be listed first (test/scaled/partition.test.ts found a
 * rejoined replica serving a process's connections). postgres.js's
 * `read-write` looks only at default_transaction_read_only, which a hot
 * standby reports as off; `primary` asks whether the server is in recovery.
 */

const installed = postgresBinDir() != null
let engine: LocalEngine | undefined
beforeAll(async () => { if (installed) engine = await startLocalEngine({ replicas: 1, synchronous: false }) }, 60_000)
afterAll(async () => { await engine?.stop() })

describe.runIf(installed)('a store URL that lists a replica before the primary', () => {
  it('connects to the primary: writes succeed and are read back', async () => {
    const [primary, replica] = engine!.servers
    const url = `postgres://dak@${replica!.host}:${replica!.port},${primary!.host}:${primary!.port}/dak`
    const db = await PostgresDb.open({ url, schema: 'primary_choice' })
    try {
      const table = db.sublevel<string>('t', { valueEncoding: 'utf8' })
      await db.batch([{ type: 'put', sublevel: table, key: 'k', value: 'v' }], { sync: true })
      expect(await table.get('k')).toBe('v')
      const [server] = await db.sql`select pg_is_in_recovery() as standby`
      expect(server!.standby).toBe(false)
    } finally {
      await db.close()
    }
  }, 60_000)
})
