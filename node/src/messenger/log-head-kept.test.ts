import {
  bytesEqual, consistencyProof, generateSigningKeyPair, inclusionProof, InvalidArgumentError, logLeafHash, NotInLogError, signTreeHead,
  treeRoot, type LogSource, type SigningKeyPair
} from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/helpers/wait.js'
import { MemoryDepartment, TestWorld } from './testing/memory-network.js'

/**
 * THREATS.md, "Department node acting alone": a node that shows a device its
 * certificate log, then — once the device has restarted — a log without an
 * entry it had (a ghost certificate taken out again, so that no one can find
 * it later). The device keeps the largest head it verified in its store, so
 * the second log must be proven an extension of it, and cannot be.
 */

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

/** A certificate log kept in memory (its leaf hashes), answering as a department node's /dak/log/1.0.0 does. */
function memoryLog (key: SigningKeyPair, leaves: Uint8Array[]): LogSource {
  const head = (): Uint8Array => signTreeHead(key, { size: leaves.length, timestamp: Date.now(), root: treeRoot(leaves) }).bytes
  return {
    head: async () => head(),
    inclusion: async (hash) => {
      const index = leaves.findIndex(leaf => bytesEqual(leaf, hash))
      if (index < 0) throw new NotInLogError('not in this log')
      return { head: head(), index, proof: inclusionProof(leaves, index) }
    },
    consistency: async (oldSize, newSize) => {
      // what an honest node answers for a size it never had
      if (newSize > leaves.length || oldSize > newSize) throw new InvalidArgumentError(`no tree of ${newSize} entries here`)
      return consistencyProof(leaves, oldSize, newSize)
    }
  }
}

/** A memory department with a certificate log, which the test can swap for another. */
class LoggedDepartment extends MemoryDepartment {
  constructor (readonly nodeKey: Uint8Array, public log: LogSource) { super() }
}

describe('the certificate-log head a device trusted, across a restart', () => {
  it('is kept: a node that then shows a log without an entry the device saw is a split view', async () => {
    const nodeKeys = generateSigningKeyPair()
    const asha = await world.officer('asha')
    const ghost = await world.officer('ghost')
    const others = [await world.officer('ravi'), await world.officer('chitra')]
    const honest = [asha, ...others, ghost].map(o => logLeafHash('certificate', o.certificate.bytes))
    const department = new LoggedDepartment(nodeKeys.publicKey, memoryLog(nodeKeys, honest))
    const errors: string[] = []

    // asha's device meets the node and checks its own certificate: it now trusts a head of 4 entries
    asha.departments.reach(department)
    const first = await asha.reopen()
    first.on('error', (e) => { errors.push(e.name) })
    await waitFor('asha trusts the log head', () => first.logHead(department.id) != null, { timeoutMs: 20_000 })
    expect(new DataView(first.logHead(department.id)!.buffer, first.logHead(department.id)!.byteOffset).getBigUint64(33)).toBe(4n)
    await first.idle()
    // its own certificate was proven in the log: no false alarm
    expect(errors).toEqual([])
    await first.stop()

    // the node's operator takes the ghost out again: the log it shows is the first 3 entries, validly signed
    department.log = memoryLog(nodeKeys, honest.slice(0, 3))
    const second = await asha.reopen()
    second.on('error', (e) => { errors.push(e.name) })
    await waitFor('the rollback is found', () => errors.includes('SplitViewError'), { timeoutMs: 20_000 })
    // and the head asha trusts is still the one of 4 entries: nothing was taken back
    expect(new DataView(second.logHead(department.id)!.buffer, second.logHead(department.id)!.byteOffset).getBigUint64(33)).toBe(4n)
  }, 60_000)
})
