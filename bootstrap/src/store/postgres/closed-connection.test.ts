import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresBinDir, startLocalEngine, type LocalEngine } from '../../cluster/local-engine.js'

/**
 * A department-node process whose engine connection dies in the middle of a
 * transaction (the primary killed or fenced: test/scaled/partition.test.ts
 * found it) must fail that transaction and live on. postgres.js 3.4.9 leaves
 * a write scheduled on the closed connection that throws outside any caller
 * (porsager/postgres#1208); without Dak's guard the process dies of it.
 * In a child process, because what is tested is whether the process survives.
 */

const CHILD = fileURLToPath(new URL('./closed-connection.child.ts', import.meta.url))
const installed = postgresBinDir() != null

let engine: LocalEngine | undefined
beforeAll(async () => { if (installed) engine = await startLocalEngine({ replicas: 0 }) }, 60_000)
afterAll(async () => { await engine?.stop() })

describe.runIf(installed)('a transaction whose engine connection is terminated', () => {
  it('fails, keeps nothing of it, and the process lives on', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, engine!.url], { timeout: 90_000 })
      .catch((err: { code?: number, stdout?: string, stderr?: string }) => { throw new Error(`the child died (exit ${String(err.code)}): ${err.stderr ?? ''}`) })
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { survived: boolean, attempts: number, caught: number, failures: string[], stored: Array<string | null> }
    expect(result.survived).toBe(true)
    // the bug was met (the guard caught the write on the closed socket) and the process went on
    expect(result.caught).toBe(1)
    expect(stderr).toMatch(/porsager\/postgres#1208/)
    // every transaction failed, and kept nothing: 'before' was written inside it and went with it
    for (const failure of result.failures) expect(failure).toMatch(/CONNECTION_CLOSED|terminat/i)
    expect(result.stored).toEqual(result.failures.map(() => null))
    console.log(`the closed-socket write met in attempt ${result.attempts} of at most 12`)
  }, 120_000)
})
