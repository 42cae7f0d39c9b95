import { afterEach, describe, expect, it } from 'vitest'
import { encodeAppContent, encryptMessage, EnvelopeKind, epochOfState, fromHex, issueRevocationList, restoreState, toHex } from '@dak/protocol'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { KEY_PACKAGE_PROTOCOL } from '../../node/src/device/mesh-adapter.js'
import { controlTopic } from '@dak/protocol/department'
import { createRpc } from '../../node/src/net/rpc.js'
import {
  connectAll, deviceKeyOf, feed, forge, frame, groupIdOfConversation, historyOf, inbox, joined, Lab, rawAttacker, shows, tap, texts, waitFor, waitMembers
} from './lan.js'

/**
 * THREATS.md, "Officer who left the department": loses reading and joining
 * rights. Chitra's certificate is revoked: the test authority issues a new
 * revocation list and a peer pushes it on the department's control topic, as a
 * department node would. The others hang up on her and the admin's device
 * removes her from the group by itself (removeRevokedMembers). Chitra keeps her
 * device, her state and her address book: she keeps dialling the others, asks
 * them for key packages, has her messages relayed, and is fed every envelope
 * sent after her removal.
 */

const lab = new Lab()
afterEach(async () => { await lab.stopAll() })

const ATTEMPTS_PER_PEER = 8

interface Attempt { target: string, refused: boolean, how: string, ms: number }

/** One reconnect by `from` to `to`: refused when the dial fails, or the connection it got closes within 2 s unverified. */
async function reconnect (from: OpenDevice, to: OpenDevice): Promise<Attempt> {
  const target = to.messenger.whoami().handle
  const started = performance.now()
  let connection
  try {
    connection = await from.libp2p.dial(to.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(5_000) })
  } catch (err) {
    return { target, refused: true, how: `dial failed: ${(err as Error).name}`, ms: performance.now() - started }
  }
  // With a connection in hand, ask for what a member would fetch: a key package (to rejoin or be re-added).
  const fetched = await createRpc(from.libp2p, from.libp2p.services.directory)
    .request(connection, KEY_PACKAGE_PROTOCOL, new Uint8Array(0), { timeoutMs: 2_000, maxResponseBytes: 16 * 1024 })
    .then(() => 'key package served', (err: Error) => err.name)
  await waitFor('connection closed', () => connection.status !== 'open', {
    timeoutMs: 2_000,
    subscribe: (wake) => { from.libp2p.addEventListener('connection:close', wake); return () => { from.libp2p.removeEventListener('connection:close', wake) } }
  }).catch(() => undefined)
  const ms = performance.now() - started
  const refused = connection.status !== 'open' && ms < 2_000 && fetched !== 'key package served'
  return { target, refused, how: `connection closed, fetch: ${fetched}`, ms }
}

describe('THREATS: officer who left the department', () => {
  it('revoked and removed: every reconnect refused, nothing after the removal readable', async () => {
    await lab.provision('asha', 'bala', 'chitra', 'registrar')
    const a = await lab.open('asha')
    const b = await lab.open('bala')
    const c = await lab.open('chitra')
    const registrar = await lab.open('registrar') // stands in for the department node that pushes revocation lists
    await connectAll([a, b, c, registrar])
    await waitFor('asha knows all', async () => (await a.messenger.contacts()).length === 3)
    const wire = tap([a, b])

    const group = await a.messenger.createGroup('Tender committee', ['bala', 'chitra'])
    await joined(b, group.id)
    await joined(c, group.id)
    await a.messenger.send(group.id, 'while chitra served')
    await shows(c, group.id, 'while chitra served')
    for (const d of [a, b, c]) await d.messenger.idle()
    const groupId = groupIdOfConversation(group.id)
    const removalEpoch = epochOfState(await restoreState((await a.store.groups.get(groupId))!))

    // Chitra leaves the department: the authority revokes her device, and the list is pushed on the
    // department's control topic (signed by the authority, so any verified peer may carry it).
    const chitraKey = c.messenger.whoami().deviceKey
    const list = issueRevocationList(lab.authority.key, 1, Date.now(), [fromHex(chitraKey)])
    const control = controlTopic(lab.authority.department)
    await waitFor('asha and bala follow the control topic', () => [a, b].every(d => registrar.libp2p.services.pubsub.getSubscribers(control).some(p => p.equals(d.libp2p.peerId))))
    const rejected: string[] = []
    for (const d of [a, b]) {
      d.libp2p.services.directory.addEventListener('peer:rejected', (e) => { if (e.detail.peer.equals(c.libp2p.peerId)) rejected.push(`${d.messenger.whoami().handle}: ${e.detail.error.name}`) })
    }
    const revokedAt = performance.now()
    await registrar.libp2p.services.pubsub.publish(control, list)

    // Both hang up on her at once, and the admin's device removes her from the group by itself.
    await waitFor('both hung up on chitra', () => rejected.length === 2)
    const hungUpMs = performance.now() - revokedAt
    expect(rejected.sort()).toEqual(['asha: RevokedCertificateError', 'bala: RevokedCertificateError'])
    await waitMembers(b, group.id, ['asha', 'bala'])
    const removedMs = performance.now() - revokedAt
    await lab.stop(registrar) // its part is done; it would not relay for her either, but keep the mesh to the three
    // Neither will vouch for her any more, whoever dials.
    const verifiedChitra: string[] = []
    for (const d of [a, b]) {
      d.libp2p.services.directory.addEventListener('peer:verified', (e) => { if (e.detail.peer.equals(c.libp2p.peerId)) verifiedChitra.push(d.messenger.whoami().handle) })
    }
    expect((await a.messenger.contacts()).map(o => o.handle).sort()).toEqual(['bala', 'registrar'])

    const after = ['after-1 from asha', 'after-2 from bala', 'after-3 from asha']
    await a.messenger.send(group.id, after[0]!)
    await b.messenger.send(group.id, after[1]!)
    await a.messenger.send(group.id, after[2]!)
    await shows(b, group.id, after[0]!)
    await shows(a, group.id, after[1]!)
    await shows(b, group.id, after[2]!)

    // She keeps trying to come back: dialling both (and being dialled, as mDNS discovery would).
    const attempts: Attempt[] = []
    for (let i = 0; i < ATTEMPTS_PER_PEER; i++) {
      attempts.push(await reconnect(c, a))
      attempts.push(await reconnect(c, b))
    }
    for (const honest of [a, b]) {
      const started = performance.now()
      const connection = await honest.libp2p.dial(c.libp2p.getMultiaddrs()).catch(() => undefined)
      if (connection != null) {
        await waitFor('honest side hangs up', () => connection.status !== 'open', {
          timeoutMs: 2_000,
          subscribe: (wake) => { honest.libp2p.addEventListener('connection:close', wake); return () => { honest.libp2p.removeEventListener('connection:close', wake) } }
        })
      }
      attempts.push({ target: `${honest.messenger.whoami().handle} dials her`, refused: connection == null || connection.status !== 'open', how: 'dialled by honest', ms: performance.now() - started })
    }
    const refused = attempts.filter(x => x.refused)
    expect(refused.map(x => x.target)).toEqual(attempts.map(x => x.target))
    expect(verifiedChitra).toEqual([])
    for (const d of [a, b]) expect(d.libp2p.getConnections(c.libp2p.peerId)).toHaveLength(0)

    // Her own client knows it was revoked (the list names her device) and refuses to write.
    await expect(c.messenger.send(group.id, 'from the officer who left')).rejects.toMatchObject({ name: 'DeviceRevokedError' })
    // A modified client writes anyway, with her group state and device key; someone relays it to Bala by hand. Not shown.
    const sealedBy = await restoreState((await c.store.groups.get(groupId))!)
    const encrypted = await encryptMessage(sealedBy, encodeAppContent({ kind: 'text', text: 'from the officer who left', clientId: new Uint8Array(16) }))
    const hers = forge(await deviceKeyOf(c), EnvelopeKind.APPLICATION, group.id, encrypted.messageBytes)
    await feed(b, [hers])
    await b.messenger.idle()
    expect(await texts(b, group.id)).not.toContain('from the officer who left')

    // She is fed everything sent after her revocation, by her messenger and by hand with ts-mls.
    for (const d of [a, b]) await d.messenger.idle()
    const stateBytes = await c.store.groups.get(groupId)
    if (stateBytes == null) throw new Error('chitra has no state')
    const raw = await rawAttacker(await restoreState(stateBytes))
    const shown = inbox(c)
    const others = wire.envelopes.filter(e => e.topic === group.id && toHex(e.sender) !== chitraKey)
    await feed(c, others)
    await c.messenger.idle()
    const afterRemoval = others.filter(e => frame(e).kind === 'application' && frame(e).epoch > removalEpoch)
    const idsAfter = new Set(afterRemoval.map(e => toHex(e.id)))
    for (const text of after) {
      const id = (await historyOf(text.includes('bala') ? a : b, group.id)).find(m => m.text === text)?.id
      expect(id != null && idsAfter.has(id)).toBe(true)
    }
    let rawRead = 0
    for (const envelope of others) {
      if (frame(envelope).kind === 'commit') await raw.commit(envelope.payload)
      else if (idsAfter.has(toHex(envelope.id)) && await raw.read(envelope.payload) != null) rawRead++
    }
    expect(raw.epochs().length).toBeGreaterThan(1) // the stolen state did take the removal commit
    expect(rawRead).toBe(0)
    const cTexts = await texts(c, group.id)
    for (const text of after) {
      expect(cTexts).not.toContain(text)
      expect(shown.map(m => m.text)).not.toContain(text)
    }
    expect(cTexts).toContain('Asha removed Chitra')

    const slowest = Math.max(...attempts.map(x => x.ms))
    console.info(`[threats] officer who left: ${refused.length}/${attempts.length} reconnects refused (slowest ${Math.round(slowest)} ms; ` +
      `${[...new Set(attempts.map(x => x.how))].join('; ')}); ${afterRemoval.length} application envelopes after the removal, 0 read by hand, 0 shown; ` +
      `revocation list pushed → both hung up on her in ${Math.round(hungUpMs)} ms, removal commit applied at the other member in ${Math.round(removedMs)} ms`)
  }, 60_000)
})
