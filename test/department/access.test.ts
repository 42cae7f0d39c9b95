import { generateSigningKeyPair } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { DEPARTMENT_PROTOCOLS, DirectoryQuery, encodeRequest } from '@dak/protocol/department'
import { exchangeOnStream, type RejectedPeer } from '../../node/src/net/index.js'
import { encodeFrame, readFrame } from '../../node/src/net/frames.js'
import { plainNode } from '../net/attacker.js'
import { nextEvent, samePeer, stopAll } from '../net/helpers.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice, tcpAddress } from './helpers.js'
import { conversationTopic, seal } from './envelopes.js'
import type { PeerUpdate } from '@libp2p/interface'

afterEach(async () => { await stopAll(); await cleanup() })

describe('who gets what', () => {
  it('an outsider without a certificate gets no store, directory or relay access and is hung up', async () => {
    const node = await startDepartment()
    const enrolled = await enrolDevice(node, 'asha.rao')
    const outsider = await plainNode(generateSigningKeyPair())
    const rejected = nextEvent<RejectedPeer>(node.libp2p.services.directory, 'peer:rejected', samePeer(outsider.peerId))
    await outsider.dial(tcpAddress(node))

    // sent at once, before the gate's verdict: each is held for it, then refused
    const ask = async (protocol: string, body: Uint8Array): Promise<string> => {
      try {
        const stream = await outsider.dialProtocol(node.peerId, protocol, { signal: AbortSignal.timeout(5_000) })
        const answer = await exchangeOnStream(stream, body, { timeoutMs: 5_000 })
        return answer.ok ? 'answered' : answer.error.name
      } catch (err) {
        return `failed: ${(err as Error).name}`
      }
    }
    const hop = (async () => {
      const stream = await outsider.dialProtocol(node.peerId, '/libp2p/circuit/relay/0.2.0/hop', { signal: AbortSignal.timeout(5_000) })
      stream.send(encodeFrame(Uint8Array.of(0x08, 0x00))) // HopMessage { type: RESERVE }
      return await readFrame(stream, 1_024, { signal: AbortSignal.timeout(5_000) }).then(reply => [...reply], (err: Error) => err.name)
    })().catch((err: Error) => err.name)
    const answers = await Promise.all([
      ask(DEPARTMENT_PROTOCOLS.directory, DirectoryQuery.encode({ afterDeviceKey: new Uint8Array(0), limit: 10 })),
      ask(DEPARTMENT_PROTOCOLS.deposit, encodeRequest('deposit', { envelope: seal(enrolled.keys, conversationTopic(), 1) })),
      ask(DEPARTMENT_PROTOCOLS.revocations, new Uint8Array(0))
    ])

    expect((await rejected).error.name).toBe('CertificateTimeoutError')
    for (const answer of answers) expect(answer).not.toBe('answered')
    const reply = await hop
    // PERMISSION_DENIED (status 202), or the connection was gone first; never OK (100)
    if (Array.isArray(reply)) expect(reply).toEqual([0x08, 0x02, 0x28, 0xca, 0x01])
    expect(node.libp2p.services.relay.reservations.size).toBe(0)
    const metrics = await (await fetch(new URL('/metrics', node.httpUrl))).text()
    expect(metrics).toMatch(/^dak_directory_pages_total 0$/m)
    expect(metrics).toMatch(/^dak_stored_envelopes 0$/m)
  })

  it('a verified device gets a relay reservation', async () => {
    const node = await startDepartment()
    const device = await startDevice(await enrolDevice(node, 'asha.rao'), ['/p2p-circuit'])
    const relayed = nextEvent<PeerUpdate>(device.libp2p, 'self:peer:update', () => device.libp2p.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit')), 10_000)
    await connect(device, node)
    await relayed
    expect(node.libp2p.services.relay.reservations.size).toBe(1)
    const metrics = await (await fetch(new URL('/metrics', node.httpUrl))).text()
    expect(metrics).toMatch(/^dak_relay_reservations 1$/m)
  })
})

describe('health and metrics', () => {
  it('answer over HTTP with what the node is doing', async () => {
    const node = await startDepartment()
    const before = await (await fetch(new URL('/health', node.httpUrl))).json() as Record<string, unknown>
    expect(before).toMatchObject({ ok: true, peers: 0 })
    expect(typeof before.uptime).toBe('number')

    const device = await startDevice(await enrolDevice(node, 'asha.rao'))
    const client = await connect(device, node)
    const topic = conversationTopic()
    await client.registerTopics([topic])
    const envelope = seal(device.enrolled.keys, topic, 1)
    await client.deposit(envelope)
    await client.query(topic, 0, 0)

    const health = await fetch(new URL('/health', node.httpUrl))
    expect(health.headers.get('content-type')).toBe('application/json')
    expect(await health.json()).toMatchObject({ ok: true, peers: 1, verifiedPeers: 1 })
    const response = await fetch(new URL('/metrics', node.httpUrl))
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    const metrics = await response.text()
    for (const line of [
      'dak_peers 1', 'dak_verified_peers 1', 'dak_relay_reservations 0', 'dak_stored_envelopes 1', `dak_store_bytes ${envelope.length}`,
      'dak_deposits_total 1', 'dak_queries_total 1', 'dak_enrolments_total 1', 'dak_topic_registrations_total 1'
    ]) expect(metrics.split('\n')).toContain(line)
    expect(metrics).toMatch(/^# TYPE dak_deposits_total counter$/m)
    expect((await node.status()).store).toEqual({ envelopes: 1, bytes: envelope.length, topics: 1 })
  })
})
