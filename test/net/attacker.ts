import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { RPC } from '@libp2p/gossipsub/message'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p, type Libp2p } from 'libp2p'
import { devicePrivateKey } from '../../node/src/net/index.js'
import { encodeFrame } from '../../node/src/net/frames.js'
import { running } from './helpers.js'
import type { SigningKeyPair } from '@dak/protocol'
import type { Connection } from '@libp2p/interface'

/**
 * An outsider that runs no Dak code at all: plain libp2p with Noise and
 * yamux, no certificate exchange, no gate. It pushes gossip by hand, the way
 * an attacker would, rather than waiting for anyone's subscriptions.
 */
export async function plainNode (device: SigningKeyPair, listen: string[] = ['/ip4/127.0.0.1/tcp/0']): Promise<Libp2p> {
  const node = await createLibp2p({
    privateKey: await devicePrivateKey(device.privateKey),
    addresses: { listen },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  running.add(node)
  return node
}

/**
 * Open a gossipsub stream on `connection` and write one RPC that subscribes to
 * `topic` and carries `data` as an unsigned message. Resolves once written.
 */
export async function pushRawGossip (connection: Connection, topic: string, data: Uint8Array): Promise<void> {
  const stream = await connection.newStream('/meshsub/1.2.0', { signal: AbortSignal.timeout(5_000) })
  const rpc = RPC.encode({ subscriptions: [{ subscribe: true, topic }], messages: [{ topic, data }] })
  if (!stream.send(encodeFrame(rpc))) await stream.onDrain({ signal: AbortSignal.timeout(5_000) })
}
