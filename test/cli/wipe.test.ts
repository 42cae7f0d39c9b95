import { createServer, type Server } from 'node:http'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateSigningKeyPair, issueWipeOrder, signingKeyPairFromSeed } from '@dak/protocol'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/**
 * Remote wipe (issue 14 part 6) as `dak` devices and a real department node
 * live it: an order the device must not obey (another device's genuine order,
 * one signed by a key that is not its authority) served from a web address
 * the attacker controls changes nothing; the department's real order makes a
 * running `dak listen` report, erase and exit 9, leaves no canary in any file
 * of the device, and the node's audit log records order and report.
 */

const fixture = new DepartmentFixture()
const servers: Server[] = []

afterEach(async () => {
  await killAll()
  for (const server of servers.splice(0)) await new Promise(resolve => server.close(resolve))
  await fixture.cleanup()
})

const CANARIES = ['WIPE-CANARY-51c2', 'مٹانے-والا-کینری']

/** Every file under `dir` and every canary found in it (UTF-8). */
async function canaryHits (dir: string): Promise<string[]> {
  const hits: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const bytes = await readFile(join(entry.parentPath, entry.name))
    for (const canary of CANARIES) if (bytes.includes(Buffer.from(canary, 'utf8'))) hits.push(`${entry.name}: ${canary}`)
  }
  return hits
}

/** A web server that answers every wipe-order request with `order` (an attacker on the device's path to its node, or a node gone bad). */
async function servingOrder (order: Uint8Array): Promise<string> {
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/api/wipe?') === true) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' })
      response.end(order)
      return
    }
    response.writeHead(404)
    response.end()
  })
  servers.push(server)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address == null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}/`
}

describe('remote wipe', () => {
  it('ignores orders not for this device or not from its authority; obeys the department\'s, reports it, and leaves nothing readable', async () => {
    const node = await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    const bala = await fixture.officer('bala', 'Bala Iyer')
    const chat = await dak(asha, ['chat', 'new', '--with', 'bala', '--json'])
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    expect((await dak(asha, ['send', 'Bala', CANARIES[0] as string, '--json'])).code).toBe(EXIT.ok)
    expect((await dak(bala, ['send', 'Asha', CANARIES[1] as string, '--json'])).code).toBe(EXIT.ok)
    const before = await dak(bala, ['history', 'Asha', '--json'])
    expect((before.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)).toEqual(expect.arrayContaining(CANARIES))

    // the attacker's orders, from a web address bala's config is pointed at
    const whoami = await dak(bala, ['whoami', '--json'])
    const balaKey = Buffer.from(String(whoami.lines[0]?.deviceKey), 'hex')
    const ashaKey = Buffer.from(String((await dak(asha, ['whoami', '--json'])).lines[0]?.deviceKey), 'hex')
    const authority = signingKeyPairFromSeed(new Uint8Array(await readFile(join(fixture.nodeDataDir, 'authority.key'))))
    const configFile = join(bala, 'config.json')
    const config = await readFile(configFile, 'utf8')
    const attacks = [
      { order: issueWipeOrder(authority, ashaKey, Date.now()), refusal: 'WipeOrderRefusedError' }, // genuine, for another device
      { order: issueWipeOrder(generateSigningKeyPair(), balaKey, Date.now()), refusal: 'WipeOrderRefusedError' } // for bala, by a key that is not her authority
    ]
    for (const attack of attacks) {
      const url = await servingOrder(attack.order)
      await writeFile(configFile, JSON.stringify({ ...JSON.parse(config) as object, nodeUrl: url }))
      const status = await dak(bala, ['status'])
      expect(status.code, status.stdout + status.stderr).toBe(EXIT.ok)
      expect(status.stderr).toContain(`ignored a wipe order: ${attack.refusal}`)
    }
    await writeFile(configFile, config)
    const kept = await dak(bala, ['history', 'Asha', '--json'])
    expect((kept.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)).toEqual(expect.arrayContaining(CANARIES))

    // the real order, to a device that is running: the node hangs up on it (revoked too), it asks and obeys
    const listening = dakInBackground(bala, ['listen', '--json'])
    await listening.waitFor('bala listening', l => l.event === 'listening', 60_000)
    await listening.waitFor('bala online', l => l.event === 'status' && l.status.departmentNodes > 0, 60_000)
    const ordered = await node.wipe({ handle: 'bala' })
    expect(ordered).toEqual([expect.objectContaining({ handle: 'bala', deviceKey: balaKey.toString('hex') })])
    await node.revoke({ handle: 'bala' })
    expect(await listening.exited(60_000)).toBe(EXIT.wiped)
    expect(listening.lines.at(-1)?.error).toMatchObject({ name: 'DeviceWipedError', message: expect.stringContaining('This device was wiped by order of Budget Division') })

    // nothing readable left: no canary in any file, no key file, no database; opening it says not enrolled
    expect(await canaryHits(bala)).toEqual([])
    const left = await readdir(bala)
    expect(left).not.toContain('db')
    expect(left).not.toContain('keyfile.json')
    const after = await dak(bala, ['history', 'Asha'])
    expect(after.code).toBe(EXIT.notEnrolled)
    expect(after.stderr).toContain('wiped by order of Budget Division')

    // the node has the device's signed report, in its audit log after the order
    const actions = (await node.audit.list()).filter(e => e.details.deviceKey === balaKey.toString('hex')).map(e => e.action)
    expect(actions).toEqual(expect.arrayContaining(['wipe-order', 'wipe-done']))
    expect(actions.indexOf('wipe-done')).toBeGreaterThan(actions.indexOf('wipe-order'))
    expect((await node.audit.verify()).size).toBeGreaterThan(0)

    // the other officer keeps the conversation (history reads her own device: what it had)
    const ashaHistory = await dak(asha, ['history', 'Bala', '--json'])
    expect((ashaHistory.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)).toContain(CANARIES[0])
  }, 300_000)
})
