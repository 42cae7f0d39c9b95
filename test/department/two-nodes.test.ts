import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { nextEvent } from '../net/helpers.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice } from './helpers.js'
import { conversationTopic, seal } from './envelopes.js'
import type { DepartmentNode } from '../../bootstrap/src/node/department-node.js'

afterEach(cleanup)

const extraDirs: string[] = []
afterEach(async () => { for (const dir of extraDirs.splice(0)) await rm(dir, { recursive: true, force: true }) })

/** A second node of the same department: its own database and peer key, the department's authority key. */
async function secondNode (first: DepartmentNode, firstDir: string): Promise<DepartmentNode> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dak-department-b-'))
  extraDirs.push(dataDir)
  await copyFile(join(firstDir, 'authority.key'), join(dataDir, 'authority.key'))
  const second = await startDepartment({ dataDir })
  expect(second.authorityPublicKey).toEqual(first.authorityPublicKey)
  expect(second.peerId.equals(first.peerId)).toBe(false)
  return second
}

async function nodeSubscribed (device: { libp2p: { services: { pubsub: import('@libp2p/gossipsub').GossipSub } } }, node: DepartmentNode, topic: string): Promise<void> {
  const pubsub = device.libp2p.services.pubsub
  const has = (): boolean => pubsub.getSubscribers(topic).some(p => p.equals(node.peerId))
  if (!has()) await nextEvent(pubsub, 'subscription-change', has)
}

describe('two department nodes sharing a conversation', () => {
  it('both store a conversation their devices registered at both, and either serves catch-up', async () => {
    const aDir = await mkdtemp(join(tmpdir(), 'dak-department-a-'))
    extraDirs.push(aDir)
    const a = await startDepartment({ dataDir: aDir })
    const b = await secondNode(a, aDir)
    const asha = await startDevice(await enrolDevice(a, 'asha.rao'))
    const ravi = await startDevice(await enrolDevice(a, 'ravi.k'))
    const topic = conversationTopic()
    for (const node of [a, b]) await (await connect(asha, node)).registerTopics([topic])
    await Promise.all([nodeSubscribed(asha, a, topic), nodeSubscribed(asha, b, topic)])

    const envelopes = [1, 2, 3].map(n => seal(asha.enrolled.keys, topic, n))
    for (const envelope of envelopes) {
      const atA = nextEvent(a.events, 'gossip:stored', (d: { topic: string }) => d.topic === topic)
      const atB = nextEvent(b.events, 'gossip:stored', (d: { topic: string }) => d.topic === topic)
      await asha.libp2p.services.pubsub.publish(topic, envelope)
      await Promise.all([atA, atB])
    }
    await asha.libp2p.stop()

    // ravi was away: he catches up from whichever node he reaches
    for (const node of [b, a]) {
      const client = await connect(ravi, node)
      await client.registerTopics([topic])
      const page = await client.query(topic, 0, 0)
      expect(page.entries.map(e => e.envelope)).toEqual(envelopes)
      expect(page.entries.map(e => e.sequence)).toEqual([1, 2, 3])
    }
  })
})
