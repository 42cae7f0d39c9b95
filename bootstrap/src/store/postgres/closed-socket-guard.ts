/**
 * postgres.js 3.4.9 (porsager/postgres#1208, #1154; fixes proposed in #1168,
 * #1176, #1209, none released): a query issued on a reserved connection — a
 * transaction, as every registry write here is — after the server closed it
 * is rejected (CONNECTION_CLOSED) as it should be, but leaves a write
 * scheduled with setImmediate that then calls write on the nulled socket and
 * throws outside any caller. Uncaught, that kills the department-node process
 * whenever an engine server dies or is fenced mid-transaction (found by
 * test/scaled/partition.test.ts).
 *
 * The guard recognises exactly that exception (a TypeError on `write` of null
 * thrown from postgres.js's nextWrite), reports it, and lets the process go
 * on: the query it belonged to was already rejected, so nothing was
 * acknowledged. Any other uncaught exception ends the process as Node would
 * (stack on stderr, exit code 1) — unless someone else also listens for
 * uncaught exceptions (a test runner), who then decides.
 *
 * Remove it when a postgres.js release guards nextWrite itself.
 */

let installed = false

export function isClosedSocketWrite (err: unknown): boolean {
  if (!(err instanceof TypeError)) return false
  const top = (err.stack ?? '').split('\n').slice(1, 3).join('\n')
  return /reading 'write'/.test(err.message) && /nextWrite/.test(top) && /postgres[\\/]src[\\/]connection\.js/.test(top)
}

export function guardClosedSocketWrites (report: (message: string) => void = (message) => { process.stderr.write(`${message}\n`) }): void {
  if (installed) return
  installed = true
  const guard = (err: Error): void => {
    if (isClosedSocketWrite(err)) {
      report('engine connection closed under a transaction: postgres.js wrote to the closed socket (porsager/postgres#1208); the query had already failed, the process goes on')
      return
    }
    if (process.listenerCount('uncaughtException') > 1) return
    process.stderr.write(`${err.stack ?? String(err)}\n`)
    process.exit(1)
  }
  process.on('uncaughtException', guard)
}
