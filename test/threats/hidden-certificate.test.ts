import { MemoryLevel } from 'memory-level'
import { afterEach, describe, expect, it } from 'vitest'
import { deviceKeyOf } from '@dak/node/net'
import { LogAuditor, NotInLogError, SplitViewError, type LogSource } from '@dak/protocol'
import { createDepartmentNode, type DepartmentNode } from '../../bootstrap/src/node/department-node.js'
import { loadDepartmentKeys } from '../../bootstrap/src/identity/node-keys.js'
import { CertificateLog } from '../../bootstrap/src/transparency/certificate-log.js'
import type { Db } from '../../bootstrap/src/store/index.js'
import { connect, enrolDevice, startDevice, testConfig } from '../department/helpers.js'

/**
 * THREATS.md, "Department node or authority acting alone": show a certificate
 * to one officer and hide it from the others. The node logs every certificate
 * and revocation list it issues in a Merkle tree with signed heads
 * (bootstrap/src/transparency). Devices check each certificate against the
 * log and compare heads with the peers they meet (LogAuditor). A node that
 * keeps a ghost certificate out of the log it shows Ravi, and in the log it
 * shows Asha, has signed two histories: the first comparison of heads shows it.
 */

const nodes: DepartmentNode[] = []
afterEach(async () => {
  for (const node of nodes.splice(0)) await node.stop().catch(() => {})
})

/** The log as a source, answering in-process (what the misbehaving node answers Ravi). */
function sourceOf (log: CertificateLog): LogSource {
  return {
    head: async () => log.head().bytes,
    inclusion: async (hash) => {
      const found = log.inclusion(hash)
      return { head: found.head.bytes, index: found.index, proof: found.proof }
    },
    consistency: async (oldSize, newSize) => log.consistency(oldSize, newSize)
  }
}

describe('THREATS: a certificate shown to one officer and hidden from another', () => {
  it('is in the log every device checks, and a log forked to hide it is a split view at the first comparison', async () => {
    const config = await testConfig()
    const node = await createDepartmentNode(config, { onError: () => {} })
    nodes.push(node)
    const asha = await enrolDevice(node, 'asha.rao')
    const ravi = await enrolDevice(node, 'ravi.k')
    const ashaDevice = await startDevice(asha)
    const client = await connect(ashaDevice, node)
    const nodeKey = deviceKeyOf(node.peerId)
    if (nodeKey == null) throw new Error('node has no Ed25519 peer id')

    // the honest log, over /dak/log/1.0.0: both certificates are in it, and so is a revocation list
    const ashaView = new LogAuditor(nodeKey, client.log)
    expect((await ashaView.checkIncluded('certificate', asha.enrolment.certificate.bytes)).index).toBe(0)
    expect((await ashaView.checkIncluded('certificate', ravi.enrolment.certificate.bytes)).index).toBe(1)
    const leaver = await enrolDevice(node, 'leaver.x')
    await node.revoke({ handle: 'leaver.x' })
    const [list] = await client.revocations()
    expect((await ashaView.checkIncluded('revocation', list!)).head.size).toBe(4)

    // the node's operator enrols a ghost under asha.rao, then a real new officer
    const ghost = await enrolDevice(node, 'asha.rao')
    const dee = await enrolDevice(node, 'dee.s')
    expect((await ashaView.checkIncluded('certificate', ghost.enrolment.certificate.bytes)).index).toBe(4)
    const ashaHead = (await ashaView.refresh()).bytes

    // To Ravi the node shows a log signed with its own key that holds everything but the ghost.
    const keys = await loadDepartmentKeys(config.dataDir)
    const forked = await CertificateLog.open(new MemoryLevel<string, string>() as unknown as Db, keys.node)
    for (const [kind, bytes] of [['certificate', asha.enrolment.certificate.bytes], ['certificate', ravi.enrolment.certificate.bytes], ['certificate', leaver.enrolment.certificate.bytes], ['revocation', list!], ['certificate', dee.enrolment.certificate.bytes]] as const) {
      await forked.append(kind, bytes)
    }
    const raviView = new LogAuditor(nodeKey, sourceOf(forked))
    // every certificate Ravi uses checks out against his view...
    for (const certificate of [asha, ravi, dee].map(d => d.enrolment.certificate.bytes)) await raviView.checkIncluded('certificate', certificate)
    // ...except the ghost's, should it ever reach him
    await expect(raviView.checkIncluded('certificate', ghost.enrolment.certificate.bytes)).rejects.toThrow(NotInLogError)

    // Asha and Ravi meet and show each other their heads: both see the split view.
    // Ravi's node cannot prove his 5 entries a prefix of Asha's 6; Asha's node proves its own 5 → 6, and that proof does not reach Ravi's root.
    const raviHead = raviView.head!.bytes
    expect([raviView.head!.size, ashaView.head!.size]).toEqual([5, 6])
    await expect(raviView.compare(ashaHead)).rejects.toThrow(SplitViewError)
    await expect(ashaView.compare(raviHead)).rejects.toThrow(SplitViewError)

    // an honest head from a peer of the same log agrees, and one of another log is refused
    const honestPeer = new LogAuditor(nodeKey, client.log)
    await honestPeer.refresh()
    expect((await ashaView.compare(honestPeer.head!.bytes)).size).toBe(ashaView.head!.size)
    console.info(`[threats] hidden certificate: log of ${ashaView.head!.size} entries at the node; inclusion proven for 3 certificates and 1 revocation list at Asha (over /dak/log/1.0.0) and 3 certificates at Ravi; ghost hidden from Ravi: NotInLogError on his view, SplitViewError on 2 of 2 head comparisons (each way); an honest peer's head agrees`)
  }, 60_000)
})
