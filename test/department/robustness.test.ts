import { ctx, groupIdFor, makeDevice } from '../../protocol/src/mls/test-fixtures.js'
import { createGroup, encodeLogRequest, EnvelopeKind, groupIdOfState, proposeCommit, signGroupRegistration } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { DEPARTMENT_PROTOCOLS, DirectoryQuery, encodeRequest, PROTOCOL_LIMITS, type DepartmentProtocol } from '@dak/protocol/department'
import { departmentError } from '../../node/src/department/index.js'
import { createRpc } from '../../node/src/net/index.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice } from './helpers.js'
import { conversationTopic, seal } from './envelopes.js'

afterEach(cleanup)

/** A request of another protocol's case: every handler must refuse it before looking further. */
const WRONG_CASE = encodeRequest('enrol', { inviteSecret: new Uint8Array(10), devicePublicKey: new Uint8Array(32), mlsSignatureKey: new Uint8Array(1), proof: new Uint8Array(64) })

const BAD: Record<DepartmentProtocol, Array<[string, Uint8Array, string]>> = {
  registerTopics: [['wrong case', WRONG_CASE, 'MalformedInputError'], ['empty', new Uint8Array(0), 'MalformedInputError']],
  deposit: [['wrong case', WRONG_CASE, 'MalformedInputError'], ['not an envelope', encodeRequest('deposit', { envelope: new Uint8Array([1, 2, 3]) }), 'MalformedInputError']],
  query: [['wrong case', WRONG_CASE, 'MalformedInputError'], ['empty topic', encodeRequest('query', { topic: '', afterSequence: 0, limit: 0, maxBytes: 0 }), 'TopicNotRegisteredError']],
  uploadKeyPackages: [['wrong case', WRONG_CASE, 'MalformedInputError'], ['not this device\'s', encodeRequest('uploadKeyPackages', { keyPackages: [new Uint8Array(100)], lastResort: new Uint8Array(0) }), 'InvalidArgumentError']],
  fetchKeyPackages: [['wrong case', WRONG_CASE, 'MalformedInputError'], ['no target', encodeRequest('fetchKeyPackage', {}), 'MalformedInputError'], ['bad handle', encodeRequest('fetchKeyPackage', { handle: 'Not A Handle' }), 'InvalidArgumentError']],
  submitCommit: [['wrong case', WRONG_CASE, 'MalformedInputError'], ['no group', encodeRequest('submitCommit', { groupId: new Uint8Array(0), epoch: 1, envelope: new Uint8Array(0), leavingLeaves: [], welcomeHash: new Uint8Array(0), registration: new Uint8Array(0) }), 'MalformedInputError']],
  revocations: [],
  heldKeyPackages: [],
  settings: [],
  linkDevice: [],
  directory: [['bad cursor', DirectoryQuery.encode({ afterDeviceKey: new Uint8Array(5), limit: 1 }), 'MalformedInputError']],
  transparencyLog: [
    ['a leaf the log lacks', encodeLogRequest({ type: 'inclusion', leafHash: new Uint8Array(32) }), 'NotInLogError'],
    ['a size beyond the log', encodeLogRequest({ type: 'consistency', oldSize: 1, newSize: 1_000_000 }), 'InvalidArgumentError']
  ]
}

describe('malformed and oversized requests', () => {
  it('get a typed error on every protocol, and the node keeps serving a good client', async () => {
    const node = await startDepartment()
    const attacker = await startDevice(await enrolDevice(node, 'mallory.x'))
    await connect(attacker, node)
    const rpc = createRpc(attacker.libp2p, attacker.libp2p.services.directory)
    const answer = async (protocol: DepartmentProtocol, bytes: Uint8Array): Promise<string> =>
      await rpc.request(node.peerId, DEPARTMENT_PROTOCOLS[protocol], bytes).then(() => 'answered', (err: unknown) => (departmentError(err) as Error).name)

    for (const protocol of Object.keys(DEPARTMENT_PROTOCOLS) as DepartmentProtocol[]) {
      const max = PROTOCOL_LIMITS[protocol].maxRequestBytes
      expect([protocol, await answer(protocol, new Uint8Array(max + 1).fill(0xff))]).toEqual([protocol, 'TooLargeError'])
      if (max > 8) expect([protocol, await answer(protocol, new Uint8Array(8).fill(0xff))]).toEqual([protocol, 'MalformedInputError'])
      for (const [what, bytes, name] of BAD[protocol]) expect([protocol, what, await answer(protocol, bytes)]).toEqual([protocol, what, name])
    }

    // the attacker is still connected and served; so is an honest officer
    const asha = await makeDevice('asha.rao')
    const honest = await startDevice(await enrolDevice(node, 'asha.rao', asha.device))
    const client = await connect(honest, node)
    const topic = conversationTopic()
    await client.registerTopics([topic])
    expect((await client.deposit(seal(honest.enrolled.keys, topic, 1))).sequence).toBe(1)
    expect((await client.query(topic, 0, 0)).entries).toHaveLength(1)
    const policy = { sequencer: node.peerId.toString(), admins: [asha.device.publicKey], idSalt: groupIdFor(topic).slice(0, 16) }
    const group = await createGroup({ ...policy, keyPackage: await asha.keyPackage() }, ctx)
    const commit = (await proposeCommit(group, {}, ctx)).commitBytes
    const registration = signGroupRegistration(asha.device, groupIdOfState(group), policy)
    expect((await client.submitCommit(groupIdOfState(group), 0, seal(honest.enrolled.keys, topic, 2, { kind: EnvelopeKind.COMMIT, payload: commit }), { registration })).accepted).toBe(true)
    expect(await answer('revocations', new Uint8Array(0))).toBe('answered')
    const metrics = await (await fetch(new URL('/metrics', node.httpUrl))).text()
    expect(Number(/^dak_rpc_errors_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(15)
  })
})
