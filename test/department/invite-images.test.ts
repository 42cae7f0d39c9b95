import { chmod, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSigningKeyPair, parseInviteCode } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { writeInvitePng } from '../../bootstrap/src/bin/print.js'
import { inviteImagePath } from '../../bootstrap/src/node/invite-images.js'
import { enrolOverHttp } from '../../node/src/department/index.js'
import { waitFor } from '../helpers/wait.js'
import { cleanup, startDepartment } from './helpers.js'

/**
 * Invite QR images hold the invite's one-time secret (issue 14, item 7):
 * the node deletes one as soon as its invite is redeemed, and at the next
 * maintenance pass once it has expired; an image whose invite can still be
 * used stays. The node's key files are its owner's alone.
 */

const HOUR = 3_600_000
const dirs: string[] = []
afterEach(async () => {
  await cleanup()
  await Promise.all(dirs.splice(0).map(async d => { await rm(d, { recursive: true, force: true }) }))
})

const exists = async (path: string): Promise<boolean> => await stat(path).then(() => true, () => false)

describe('invite images on the department node', () => {
  it('are deleted once their invite is redeemed or expires, and not before', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dak-invite-images-'))
    dirs.push(dataDir)
    let clock = Date.now()
    const node = await startDepartment({ dataDir }, { now: () => clock })
    const used = await node.createInvite({ handle: 'asha', displayName: 'Asha Rao', title: 'Under Secretary' })
    const waiting = await node.createInvite({ handle: 'bala', displayName: 'Bala Iyer', title: 'Section Officer', validityHours: 48 })
    const lapsing = await node.createInvite({ handle: 'chitra', displayName: 'Chitra Das', title: 'Section Officer', validityHours: 1 })
    for (const invite of [used, waiting, lapsing]) await writeInvitePng(invite, inviteImagePath(dataDir, invite.handle))

    await enrolOverHttp(node.httpUrl, parseInviteCode(used.code), generateSigningKeyPair(), generateSigningKeyPair().publicKey, { now: clock })
    await waitFor('the redeemed invite\'s image is gone', async () => !(await exists(inviteImagePath(dataDir, 'asha'))), { timeoutMs: 10_000 })
    expect(await exists(inviteImagePath(dataDir, 'bala'))).toBe(true)
    expect(await exists(inviteImagePath(dataDir, 'chitra'))).toBe(true)

    clock += 2 * HOUR
    await node.maintain()
    expect(await exists(inviteImagePath(dataDir, 'chitra'))).toBe(false)
    expect(await exists(inviteImagePath(dataDir, 'bala'))).toBe(true)
  })

  it('keeps the node\'s key files 0600, tightening ones left readable by others', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dak-node-keys-'))
    dirs.push(dataDir)
    const first = await startDepartment({ dataDir })
    await first.stop()
    for (const key of ['authority.key', 'node.key']) expect((await stat(join(dataDir, key))).mode & 0o777).toBe(0o600)
    await chmod(join(dataDir, 'node.key'), 0o644)
    await startDepartment({ dataDir })
    expect((await stat(join(dataDir, 'node.key'))).mode & 0o777).toBe(0o600)
  })
})
