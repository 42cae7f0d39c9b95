import { guardClosedSocketWrites } from './closed-socket-guard.js'
import { PostgresDb } from './postgres-db.js'

/**
 * The child of closed-connection.test.ts: transactions whose server
 * connection is terminated between two of their queries. The second query
 * must fail (no acknowledgement of a write that was never committed) and the
 * process must live on. Whether postgres.js then writes to the closed socket
 * depends on whether it had seen the close when the query was issued, so the
 * child repeats (at most MAX_ATTEMPTS) until the guard has caught that write
 * once. Prints one JSON line; argv[2] is the URL.
 */
const MAX_ATTEMPTS = 12
const url = process.argv[2]!
let caught = 0
// installed before PostgresDb's own call, so this report is the one used
guardClosedSocketWrites((message) => { caught++; process.stderr.write(`${message}\n`) })
const db = await PostgresDb.open({ url, schema: 'closed_connection' })
const table = db.sublevel<string>('t', { valueEncoding: 'utf8' })

async function terminatedTransaction (key: string): Promise<string> {
  try {
    await db.locks('scope').run([key], async () => {
      await db.batch([{ type: 'put', sublevel: table, key, value: 'before' }], { sync: true })
      const [row] = await db.query()`select pg_backend_pid() as pid`
      await db.sql`select pg_terminate_backend(${row!.pid as number})`
      // the backend is gone when no session has its pid any more
      for (let i = 0; i < 100; i++) {
        const [left] = await db.sql`select count(*)::int as n from pg_stat_activity where pid = ${row!.pid as number}`
        if (left!.n === 0) break
        await new Promise(resolve => setTimeout(resolve, 50))
      }
      await table.get(key)
      await db.batch([{ type: 'put', sublevel: table, key, value: 'after' }], { sync: true })
    })
    return 'none'
  } catch (err) {
    return (err as Error).message
  }
}

const failures: string[] = []
const stored: Array<string | null> = []
for (let attempt = 0; attempt < MAX_ATTEMPTS && caught === 0; attempt++) {
  const key = `k${attempt}`
  failures.push(await terminatedTransaction(key))
  // let every callback the closed connection left scheduled run
  for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
  await new Promise(resolve => setTimeout(resolve, 200))
  stored.push(await table.get(key) ?? null)
}
console.log(JSON.stringify({ survived: true, attempts: failures.length, caught, failures, stored }))
await db.close()
