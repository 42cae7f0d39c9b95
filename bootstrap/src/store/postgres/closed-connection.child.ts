import { PostgresDb } from './postgres-db.js'

/**
 * The child of closed-connection.test.ts: a transaction whose server
 * connection is terminated between two of its queries. The second query must
 * fail (no acknowledgement of a write that was never committed) and the
 * process must live on. Prints `survived` when it does; argv[2] is the URL.
 */
const url = process.argv[2]!
const db = await PostgresDb.open({ url, schema: 'closed_connection' })
const table = db.sublevel<string>('t', { valueEncoding: 'utf8' })
let failure = 'none'
try {
  await db.locks('scope').run(['k'], async () => {
    await db.batch([{ type: 'put', sublevel: table, key: 'k', value: 'before' }], { sync: true })
    const [row] = await db.query()`select pg_backend_pid() as pid`
    await db.sql`select pg_terminate_backend(${row!.pid as number})`
    // the backend is gone when no session has its pid any more
    for (let i = 0; i < 100; i++) {
      const [left] = await db.sql`select count(*)::int as n from pg_stat_activity where pid = ${row!.pid as number}`
      if (left!.n === 0) break
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    await table.get('k')
    await db.batch([{ type: 'put', sublevel: table, key: 'k', value: 'after' }], { sync: true })
  })
} catch (err) {
  failure = (err as Error).message
}
// let every callback the closed connection left scheduled run
for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
await new Promise(resolve => setTimeout(resolve, 200))
const stored = await table.get('k')
console.log(JSON.stringify({ survived: true, failure, stored: stored ?? null }))
await db.close()
