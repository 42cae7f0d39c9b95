import { bytesEqual, issueCertificate, issueRevocationList, RevocationState, TrustStore, type SigningKeyPair } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { DAY, department, NOW, officer, seededKey } from '../../protocol/src/identity/test-fixtures.js'
import { waitFor } from '../helpers/wait.js'
import { plainNode, pushRawGossip } from './attacker.js'
import { connectVerified, joinTopic, nextEvent, samePeer, seal, startNode, stopAll, subscribed, testTopic, type Identity, type TopicLog } from './helpers.js'
import type { DakLibp2p, RejectedPeer } from '../../node/src/net/index.js'
import type { Connection, PeerId } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

/**
 * THREATS.md, "Outsider trying to join the mesh": every kind of bad or
 * missing certificate is refused, the connection is closed within 2 s of being
 * opened, and none of the outsider's gossip is delivered (the validator never
 * even sees it). The outsider's device key is one the validator would accept,
 * so it is the gate that keeps the message out, not the envelope check.
 */

const mof = department('mof.budget')
const evil = department('evil.corp')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const topic = testTopic('budget committee')

afterEach(stopAll)

/** The longest certificate deadline (MAX_CERTIFICATE_TIMEOUT_MS, 20 s) and some. */
const REJECTION_WAIT_MS = 22_000

/** Verified honest pair: `a` is the target, `b` publishes the marker that ends each test. */
async function honestPair (revocations = new RevocationState()) {
  const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], revocations })
  const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
  return { a, b }
}

interface Outsider { label: string, device: SigningKeyPair, certificate?: Uint8Array, expected: string, revoke?: boolean }

const stranger = seededKey('device stranger')
const outsiders: Outsider[] = [
  { label: 'an enrolled-looking node with no certificate', device: seededKey('device no-cert'), expected: 'CertificateTimeoutError' },
  { label: 'an expired certificate', ...asIdentity(officer(mof, 'old.timer', { notBefore: NOW - 400 * DAY, notAfter: NOW - DAY })), expected: 'ExpiredCertificateError' },
  {
    label: 'a self-signed certificate',
    device: stranger,
    certificate: issueCertificate(stranger, {
      handle: 'self.made', displayName: 'Self Made', title: 'Minister', department: 'mof.budget',
      devicePublicKey: stranger.publicKey, mlsSignatureKey: stranger.publicKey, notBefore: NOW - DAY, notAfter: NOW + DAY, serial: 1
    }).bytes,
    expected: 'UntrustedAuthorityError'
  },
  { label: 'a certificate from an untrusted authority', ...asIdentity(officer(evil, 'mallory')), expected: 'UntrustedAuthorityError' },
  { label: 'a revoked certificate', ...asIdentity(officer(mof, 'left.department')), expected: 'RevokedCertificateError', revoke: true },
  // a genuine certificate, of another device: the thief does not hold that device's key
  { label: "another device's certificate", device: seededKey('device thief'), certificate: ravi.certificate.bytes, expected: 'CertificateMismatchError' }
]

function asIdentity (o: ReturnType<typeof officer>): Identity {
  return { device: o.device, certificate: o.certificate.bytes }
}

/**
 * THREATS.md's 2 s: the gate closes a silent peer at its certificate deadline,
 * which is the 1.5 s floor after a fast handshake and scales with a slow one
 * (a 2G link, or a machine this loaded: docs/network.md). The deadline the
 * gate used is in its refusal; the close must come at it, and within 2 s
 * whenever the floor applied.
 */
function expectClosedAtDeadline (rejection: RejectedPeer, elapsedMs: number): void {
  const deadlineMs = Number(/within (\d+) ms/.exec(rejection.error.message)?.[1])
  expect(deadlineMs).toBeGreaterThanOrEqual(1_500)
  expect(elapsedMs).toBeLessThan(Math.max(2_000, deadlineMs + 500))
  if (deadlineMs > 1_500) console.log(`[threats] outsider: handshake slow on this machine, deadline ${deadlineMs} ms, closed after ${Math.round(elapsedMs)} ms`)
}

/** Times of A's view of the outsider: connection opened, peer rejected, connection closed. */
function watch (a: Libp2p, outsider: PeerId) {
  const opened = nextEvent<Connection>(a, 'connection:open', (c) => c.remotePeer.equals(outsider)).then(() => performance.now())
  const closed = nextEvent<Connection>(a, 'connection:close', (c) => c.remotePeer.equals(outsider)).then(() => performance.now())
  return { opened, closed }
}

/** B's marker arrives at A after the outsider was refused; nothing from the outsider arrived at all. */
async function expectNothingFrom (outsider: PeerId, a: DakLibp2p, b: DakLibp2p, log: TopicLog, outsiderMessage: Uint8Array): Promise<void> {
  const marker = seal(ravi.device, topic, 1, 'committee meets at ten')
  await b.services.pubsub.publish(topic, marker)
  await log.arrival(marker)
  expect(log.delivered.some((d) => bytesEqual(d, outsiderMessage))).toBe(false)
  expect(log.verdicts.filter((v) => v.from.equals(outsider))).toHaveLength(0)
  expect(a.getConnections(outsider)).toHaveLength(0)
}

/**
 * `dialer` cannot get a connection to `target`: the target's gater refuses it
 * right after Noise. Depending on who notices first the dial fails or yields a
 * connection that closes at once; either way the target never holds one.
 */
async function expectRefusedInbound (dialer: Libp2p, target: Libp2p): Promise<void> {
  const outcome = await dialer.dial(target.getMultiaddrs()).catch((err: Error) => err)
  if (!(outcome instanceof Error) && outcome.status === 'open') {
    await nextEvent<Connection>(dialer, 'connection:close', (c) => c.id === outcome.id)
  }
  expect(target.getConnections(dialer.peerId)).toHaveLength(0)
  expect(dialer.getConnections(target.peerId)).toHaveLength(0)
}

/**
 * An outsider that only ran out of time is not denied (a slow 2G link looks
 * the same, docs/field.md): it may connect again, and is hung up again at the
 * deadline, still verified by nobody.
 */
async function expectClosedAgain (dialer: Libp2p, target: DakLibp2p): Promise<void> {
  // a dial while the refused connection is still closing on either side would be handed that connection
  await waitFor('the refused connection gone on both sides', () => target.getConnections(dialer.peerId).length === 0 && dialer.getConnections(target.peerId).length === 0, {
    timeoutMs: 5_000,
    subscribe: (wake) => { target.addEventListener('connection:close', wake); dialer.addEventListener('connection:close', wake); return () => { target.removeEventListener('connection:close', wake); dialer.removeEventListener('connection:close', wake) } }
  })
  const closed = nextEvent<Connection>(target, 'connection:close', (c) => c.remotePeer.equals(dialer.peerId), REJECTION_WAIT_MS)
  const rejected = nextEvent<RejectedPeer>(target.services.directory, 'peer:rejected', samePeer(dialer.peerId), REJECTION_WAIT_MS)
  const opened = performance.now()
  await dialer.dial(target.getMultiaddrs()).catch(() => undefined)
  await closed
  expectClosedAtDeadline(await rejected, performance.now() - opened)
  expect(target.getConnections(dialer.peerId).filter(c => c.status === 'open')).toHaveLength(0)
}

describe('outsiders dialling an enrolled node over TCP are refused', () => {
  for (const o of outsiders) {
    it(`${o.label}: ${o.expected}, closed within 2 s, no gossip delivered`, async () => {
      const revocations = new RevocationState()
      if (o.revoke === true) revocations.accept(issueRevocationList(mof.authority, 1, NOW, [o.device.publicKey]), new TrustStore([mof.entry]))
      const { a, b } = await honestPair(revocations)
      // the validator would accept the outsider's key: only the gate stands in the way
      const log = joinTopic(a, topic, [ravi.device.publicKey, o.device.publicKey])
      joinTopic(b, topic, [ravi.device.publicKey])
      await connectVerified(b, a)
      await Promise.all([subscribed(b, a.peerId, topic), subscribed(a, b.peerId, topic)])

      // the outsider's own gate must not hang up first (it cannot verify the target either): then the target's verdict is what is measured
      const outsider = await startNode(o, { trust: [mof.entry], options: { gate: { certificateTimeoutMs: 60_000 } } })
      const times = watch(a, outsider.peerId)
      const rejected = nextEvent<RejectedPeer>(a.services.directory, 'peer:rejected', samePeer(outsider.peerId), REJECTION_WAIT_MS)
      const message = seal(o.device, topic, 1, 'transfer approved')
      const connection = await outsider.dial(a.getMultiaddrs())
      // straight at the gossip protocol, without waiting for anyone's subscription
      const pushed = pushRawGossip(connection, topic, message).catch(() => 'refused before the push')

      const rejection = await rejected
      expect(rejection.error.name).toBe(o.expected)
      const elapsed = (await times.closed) - (await times.opened)
      if (o.expected === 'CertificateTimeoutError') expectClosedAtDeadline(rejection, elapsed)
      else expect(elapsed).toBeLessThan(2_000)
      await pushed
      await expectNothingFrom(outsider.peerId, a, b, log, message)
      if (o.expected === 'CertificateTimeoutError') await expectClosedAgain(outsider, a)
      else await expectRefusedInbound(outsider, a)
    })
  }

  it('a plain libp2p node (no Dak protocol at all) that pushes gossip at once: CertificateTimeoutError, closed within 2 s', async () => {
    const { a, b } = await honestPair()
    const intruder = seededKey('device intruder')
    const log = joinTopic(a, topic, [ravi.device.publicKey, intruder.publicKey])
    joinTopic(b, topic, [ravi.device.publicKey])
    await connectVerified(b, a)
    await Promise.all([subscribed(b, a.peerId, topic), subscribed(a, b.peerId, topic)])

    const outsider = await plainNode(intruder)
    const times = watch(a, outsider.peerId)
    const rejected = nextEvent<RejectedPeer>(a.services.directory, 'peer:rejected', samePeer(outsider.peerId), REJECTION_WAIT_MS)
    const message = seal(intruder, topic, 1, 'all officers report to room 9')
    const connection = await outsider.dial(a.getMultiaddrs())
    // the RPC is written while the gate still holds the stream: it is never read
    await pushRawGossip(connection, topic, message)

    const rejection = await rejected
    expect(rejection.error.name).toBe('CertificateTimeoutError')
    expectClosedAtDeadline(rejection, (await times.closed) - (await times.opened))
    await expectNothingFrom(outsider.peerId, a, b, log, message)
  })

  it('an enrolled node dialling a plain libp2p node refuses it at once and will not dial it again', async () => {
    const { a } = await honestPair()
    const outsider = await plainNode(seededKey('device listener'))
    const rejected = nextEvent<RejectedPeer>(a.services.directory, 'peer:rejected', samePeer(outsider.peerId), REJECTION_WAIT_MS)
    await a.dial(outsider.getMultiaddrs())
    expect((await rejected).error.name).toBe('MissingCertificateError')
    await expect(a.dial(outsider.getMultiaddrs())).rejects.toHaveProperty('name', 'DialDeniedError')
  })
})

describe('revocation of a connected peer', () => {
  it('recheck after a new revocation list hangs up the revoked peer and refuses it afterwards', async () => {
    const trust = new TrustStore([mof.entry])
    const revocations = new RevocationState()
    const { a, b } = await honestPair(revocations)
    await connectVerified(b, a)
    expect(a.services.directory.isVerified(b.peerId)).toBe(true)

    const gone = nextEvent<PeerId>(a, 'peer:disconnect', (p) => p.equals(b.peerId))
    revocations.accept(issueRevocationList(mof.authority, 1, NOW, [ravi.device.publicKey]), trust)
    const rejected = a.services.directory.recheck()

    expect(rejected.map((r) => [r.peer.toString(), r.error.name])).toEqual([[b.peerId.toString(), 'RevokedCertificateError']])
    await gone
    expect(a.services.directory.isVerified(b.peerId)).toBe(false)
    await expect(a.dial(b.getMultiaddrs())).rejects.toHaveProperty('name', 'DialDeniedError')
    await expectRefusedInbound(b, a)
  })
})
