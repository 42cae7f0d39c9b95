import { createServer, type Server, type Socket } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { waitFor } from '../helpers/wait.js'
import { running, startNode, stopAll } from './helpers.js'
import { keepDepartmentLink } from '../../node/src/device/department-link.js'
import { DIAL_TIMEOUT_MS } from '../../node/src/net/constants.js'
import type { DakLibp2p } from '../../node/src/net/index.js'

/**
 * keepDepartmentLink (node/src/device/department-link.ts) between real Dak
 * libp2p nodes on 127.0.0.1. The "department node" is a peer that stops and
 * comes back on its TCP port, as a killed and restarted node does. Its second
 * address stands for a browser's WebRTC-Direct one: a TCP server that accepts
 * and never answers, so a dial to it hears nothing until it times out — what a
 * WebRTC-Direct dial to a node that is down does (FIELD.md, `browser-node-kill`).
 */

const mof = department('mof.budget')
const nodeOfficer = officer(mof, 'node')
const asha = officer(mof, 'asha.rao')

const stops: Array<() => unknown> = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
  await stopAll()
})

/** A TCP server that takes connections and says nothing; counts what it took. */
async function silentServer (): Promise<{ port: number, accepted: Socket[] }> {
  const accepted: Socket[] = []
  const server: Server = createServer(socket => { accepted.push(socket) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  stops.push(async () => {
    for (const socket of accepted) socket.destroy()
    await new Promise(resolve => server.close(resolve))
  })
  return { port: (server.address() as { port: number }).port, accepted }
}

/** A port nothing listens on: a dial there is refused at once. */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise(resolve => server.close(resolve))
  return port
}

async function nodeOn (port: number): Promise<DakLibp2p> {
  return await startNode({ device: nodeOfficer.device, certificate: nodeOfficer.certificate.bytes }, { trust: [mof.entry], listen: [`/ip4/127.0.0.1/tcp/${port}`] })
}

const connectedTo = (device: DakLibp2p, node: DakLibp2p): boolean => device.getConnections(node.peerId).some(c => c.status === 'open')

/**
 * A device kept on a node by the link, the node's second address a silent
 * server (the fallback); `outage()` stops the node, waits until a dial hangs
 * on the silent address, brings the node back on its port and returns the ms
 * from then until the device is on it again.
 */
async function linkedDevice (): Promise<{ device: DakLibp2p, node: DakLibp2p, silentPort: number, outage: () => Promise<number> }> {
  let node = await nodeOn(0)
  const port = Number(/\/tcp\/(\d+)/.exec(node.getMultiaddrs()[0]!.toString())![1])
  const silent = await silentServer()
  const device = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], listen: [] })
  stops.push(keepDepartmentLink({
    libp2p: device,
    bootstrap: [`/ip4/127.0.0.1/tcp/${port}/p2p/${node.peerId.toString()}`, `/ip4/127.0.0.1/tcp/${silent.port}/p2p/${node.peerId.toString()}`],
    isFallback: (address) => address.toString().includes(`/tcp/${silent.port}/`)
  }))
  await waitFor('the device on the node', () => connectedTo(device, node), { timeoutMs: 10_000 })
  const outage = async (): Promise<number> => {
    running.delete(node)
    await node.stop()
    await waitFor('a dial waiting on the silent address', () => silent.accepted.length > 0, { timeoutMs: 10_000 })
    node = await nodeOn(port)
    const back = Date.now()
    await waitFor('the device on the node again', () => connectedTo(device, node), { timeoutMs: DIAL_TIMEOUT_MS + 15_000 })
    return Date.now() - back
  }
  return { device, node, silentPort: silent.port, outage }
}

describe('the department link', () => {
  it('a node back after an outage is redialled at the next retry, not after a silent fallback address times out', async () => {
    const { outage } = await linkedDevice()
    // the node goes down; the link's next attempt is refused on the node's port and moves on to the silent one
    const tookMs = await outage()
    console.log(`redialled ${tookMs} ms after the node came back (the silent address alone would have held the attempt ${DIAL_TIMEOUT_MS} ms)`)
    // before: the attempt waited the whole dial timeout on the silent address (about 30 s)
    expect(tookMs).toBeLessThan(DIAL_TIMEOUT_MS / 3)
  }, 90_000)

  it('a node tagged keep-alive (as a relay reservation tags it) is not held in libp2p\'s own redial of every known address', async () => {
    const { device, node, silentPort, outage } = await linkedDevice()
    // what @libp2p/circuit-relay-v2 does for the relay it holds a reservation on, and the silent address in the peer store
    await device.peerStore.merge(node.peerId, { multiaddrs: [multiaddr(`/ip4/127.0.0.1/tcp/${silentPort}`)], tags: { 'keep-alive-circuit-relay': { value: 1 } } })
    const tookMs = await outage()
    console.log(`keep-alive tagged: redialled ${tookMs} ms after the node came back`)
    // before (libp2p's reconnect queue on): 30.9 s, its dial held by the silent address and the link's joined to it
    expect(tookMs).toBeLessThan(DIAL_TIMEOUT_MS / 3)
  }, 90_000)

  it('when the first-choice address is refused, the fallback connects', async () => {
    const node = await nodeOn(0)
    const port = Number(/\/tcp\/(\d+)/.exec(node.getMultiaddrs()[0]!.toString())![1])
    const refused = await closedPort()
    const device = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], listen: [] })
    stops.push(keepDepartmentLink({
      libp2p: device,
      bootstrap: [`/ip4/127.0.0.1/tcp/${refused}/p2p/${node.peerId.toString()}`, `/ip4/127.0.0.1/tcp/${port}/p2p/${node.peerId.toString()}`],
      isFallback: (address) => address.toString().includes(`/tcp/${port}/`)
    }))
    await waitFor('the device on the node through its fallback', () => connectedTo(device, node), { timeoutMs: 15_000 })
    expect(device.getConnections(node.peerId).map(c => c.remoteAddr.toString())).toContain(`/ip4/127.0.0.1/tcp/${port}/p2p/${node.peerId.toString()}`)
  }, 30_000)
})
