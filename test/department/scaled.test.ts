import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { toHex } from '@dak/protocol'
import { postgresBinDir, startLocalEngine, type LocalEngine } from '../../bootstrap/src/cluster/local-engine.js'
import type { DepartmentNode } from '../../bootstrap/src/node/department-node.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice } from './helpers.js'
import { conversationTopic, seal } from './envelopes.js'

/**
 * The short check of a scaled department (docs/scaled.md) in the normal test
 * run: two department nodes with the same keys on one PostgreSQL store act as
 * one department. The long, faulty runs are `npm run test:scaled`.
 */

const installed = postgresBinDir() != null
if (!installed) console.warn('scaled department smoke test skipped: PostgreSQL is not installed (test/setup/system-deps.sh installs it)')

afterEach(cleanup)
const dirs: string[] = []
let engine: LocalEngine | undefined
beforeAll(async () => { if (installed) engine = await startLocalEngine({ replicas: 0 }) })
afterAll(async () => {
  await engine?.stop()
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

async function dataDir (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dak-scaled-'))
  dirs.push(dir)
  return dir
}

/** Two processes' worth of department node on one engine (in this process: their state is only the engine's). */
async function twoNodes (): Promise<[DepartmentNode, DepartmentNode]> {
  const store = `${engine!.url}?schema=smoke_one`
  const [aDir, bDir] = [await dataDir(), await dataDir()]
  const a = await startDepartment({ dataDir: aDir, store })
  for (const key of ['authority.key', 'node.key']) await copyFile(join(aDir, key), join(bDir, key))
  const b = await startDepartment({ dataDir: bDir, store })
  return [a, b]
}

describe.runIf(installed)('a scaled department (two department nodes, one PostgreSQL store)', () => {
  it('is one department: enrolled at one, served by the other; a deposit at one is read at the other; each lists both', async () => {
    const [a, b] = await twoNodes()
    expect(b.peerId.equals(a.peerId)).toBe(true)
    // devices learn every process's addresses from either
    expect(b.multiaddrs()).toEqual(expect.arrayContaining(a.multiaddrs().slice(0, 1)))

    const asha = await startDevice(await enrolDevice(a, 'asha.rao'))
    // b serves her at once: the department's certificate, the department's shared state
    const atB = await connect(asha, b)
    const topic = conversationTopic()
    await atB.registerTopics([topic])
    const envelopes = [1, 2, 3].map(n => seal(asha.enrolled.keys, topic, n))
    const receipts = []
    for (const envelope of envelopes) receipts.push(await atB.deposit(envelope))
    expect(receipts.map(r => r.sequence)).toEqual([1, 2, 3])

    const ravi = await startDevice(await enrolDevice(b, 'ravi.k'))
    const atA = await connect(ravi, a)
    await atA.registerTopics([topic])
    const page = await atA.query(topic, 0, 0)
    expect(page.entries.map(e => e.sequence)).toEqual([1, 2, 3])
    expect(page.entries.map(e => toHex(e.envelope))).toEqual(envelopes.map(toHex))
    // a deposit through a continues b's numbering: one sequence per topic across processes
    expect((await atA.deposit(seal(ravi.enrolled.keys, topic, 4))).sequence).toBe(4)
    expect((await a.status()).store.envelopes).toBe(4)
    expect((await b.status()).store.envelopes).toBe(4)
  })

  it('refuses a process holding other keys than the department that uses the store', async () => {
    const store = `${engine!.url}?schema=smoke_two`
    await startDepartment({ dataDir: await dataDir(), store })
    await expect(startDepartment({ dataDir: await dataDir(), store })).rejects.toMatchObject({ name: 'ClusterIdentityMismatchError' })
  })
})
