import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, enrolDevice, startDepartment } from './helpers.js'

/**
 * The department node's audit log (bootstrap/src/audit) as department IT and
 * an attacker with the node's disk meet it: admin actions are recorded as
 * they happen; `dak-node audit verify` passes on the log as written, and
 * after an entry is edited or deleted in the level store it exits 3 naming
 * the first bad entry.
 */

const BIN = resolve(import.meta.dirname, '../../bootstrap/src/bin/dak-node.ts')
const run = promisify(execFile)

const dirs: string[] = []
afterEach(async () => {
  await cleanup()
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function auditCli (dataDir: string, ...args: string[]): Promise<{ code: number, json: Record<string, unknown> }> {
  const env = { ...process.env, DAK_DATA_DIR: dataDir, DAK_DEPARTMENT: 'mof.budget', DAK_TCP_PORT: '0', DAK_WS_PORT: '0', DAK_HTTP_PORT: '0' }
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', BIN, 'audit', ...args, '--json'], { env })
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown> }
  } catch (err) {
    const failed = err as { code: number, stdout: string }
    return { code: failed.code, json: JSON.parse(failed.stdout) as Record<string, unknown> }
  }
}

/** What an attacker with the disk does: open the node's level store and change the `audit` sublevel. */
interface AuditTable {
  get: (key: string) => Promise<string | undefined>
  put: (key: string, value: string) => Promise<void>
  del: (key: string) => Promise<void>
}

async function tamper (dataDir: string, edit: (entries: AuditTable) => Promise<void>): Promise<void> {
  const db = new ClassicLevel<string, string>(join(dataDir, 'db'))
  await db.open()
  try {
    await edit(db.sublevel<string, string>('audit', { valueEncoding: 'utf8' }))
  } finally {
    await db.close()
  }
}

const key16 = (i: number): string => i.toString().padStart(16, '0')

describe('the audit log of admin actions', () => {
  it('records invites, enrolments and revocations; verify passes, then names an edited and a deleted entry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dak-audit-'))
    dirs.push(dir)
    const node = await startDepartment({ dataDir: dir, webrtcDirectPort: 'off' }, { admin: true })
    const ravi = await enrolDevice(node, 'ravi.k')
    await node.revoke({ handle: 'ravi.k' })
    const entries = await node.audit.list()
    expect(entries.map(e => e.action)).toEqual(['invite-created', 'invite-redeemed', 'device-accepted', 'revocation'])
    const deviceKey = Buffer.from(ravi.keys.publicKey).toString('hex')
    expect(entries[2]?.details).toMatchObject({ handle: 'ravi.k', deviceKey })
    expect(entries[3]?.details).toMatchObject({ target: 'ravi.k', revoked: [deviceKey] })
    // no secret in the log: the invite's code is nowhere in it
    expect(JSON.stringify(entries)).not.toMatch(/DAK-/)

    // through the running node's admin API
    const running = await auditCli(dir, 'verify')
    expect(running).toMatchObject({ code: 0, json: { ok: true, size: 4 } })
    const noted = `${String(running.json.size)}:${String(running.json.hash)}`
    await node.stop()

    // on the stopped node's database
    expect(await auditCli(dir, 'verify', '--expect', noted)).toMatchObject({ code: 0, json: { ok: true, size: 4 } })
    const listed = await auditCli(dir, 'list')
    expect((listed.json.entries as unknown[]).length).toBe(4)

    // the attacker makes the enrolment look like another officer's
    await tamper(dir, async (audit) => {
      const text = await audit.get(key16(2)) as string
      await audit.put(key16(2), text.replace('ravi.k', 'asha.r'))
    })
    const edited = await auditCli(dir, 'verify')
    expect(edited.code).toBe(3)
    expect(edited.json.error).toMatchObject({ name: 'AuditLogTamperedError', entry: 2 })

    // ... puts it back, and removes the revocation instead
    await tamper(dir, async (audit) => {
      const text = await audit.get(key16(2)) as string
      await audit.put(key16(2), text.replace('asha.r', 'ravi.k'))
      await audit.del(key16(3))
    })
    const deleted = await auditCli(dir, 'verify')
    expect(deleted.code).toBe(3)
    expect(deleted.json.error).toMatchObject({ name: 'AuditLogTamperedError', entry: 3 })
  }, 120_000)
})
