import { describe, expect, it } from 'vitest'
import { createGroup } from './group.js'
import { checkGroupIdBound, groupIdFor, keepsGroupIdentity, UnboundGroupIdError } from './group-id.js'
import { decodeGroupPolicy, encodeGroupPolicy } from './group-policy.js'
import { groupIdOfState, policyOf } from './state.js'
import { ctx, groupIdFor as testGroupId, makeDevice } from './test-fixtures.js'
import { InvalidArgumentError, MalformedInputError } from '../errors.js'

const salt = new Uint8Array(16).fill(7)

describe('a group id bound to its sequencer', () => {
  it('is 16 bytes, and changes with the sequencer and with the salt', () => {
    const id = groupIdFor('peer-a', salt)
    expect(id.length).toBe(16)
    expect(groupIdFor('peer-a', salt)).toEqual(id)
    expect(groupIdFor('peer-b', salt)).not.toEqual(id)
    expect(groupIdFor('peer-a', new Uint8Array(16).fill(8))).not.toEqual(id)
    expect(() => groupIdFor('peer-a', new Uint8Array(15))).toThrow(InvalidArgumentError)
  })

  it('is what createGroup makes from a salt, with the salt in the policy, and checks', async () => {
    const asha = await makeDevice('asha.rao')
    const state = await createGroup({ idSalt: salt, sequencer: 'peer-node', admins: [asha.device.publicKey], keyPackage: await asha.keyPackage() }, ctx)
    expect(groupIdOfState(state)).toEqual(groupIdFor('peer-node', salt))
    expect(policyOf(state).idSalt).toEqual(salt)
    expect(() => { checkGroupIdBound(groupIdOfState(state), policyOf(state)) }).not.toThrow()
    // the same id under another sequencer (a look-alike naming the squatter's own sequencer) does not check
    expect(() => { checkGroupIdBound(groupIdOfState(state), { ...policyOf(state), sequencer: 'peer-mallory' }) }).toThrow(UnboundGroupIdError)
  })

  it('is refused when the group was made under a chosen id (a look-alike, or a group from before ids were bound)', async () => {
    const asha = await makeDevice('asha.rao')
    const chosen = await createGroup({ groupId: testGroupId('squat'), sequencer: 'peer-node', admins: [asha.device.publicKey], keyPackage: await asha.keyPackage() }, ctx)
    expect(policyOf(chosen).idSalt).toBeUndefined()
    expect(() => { checkGroupIdBound(groupIdOfState(chosen), policyOf(chosen)) }).toThrow(UnboundGroupIdError)
    await expect(createGroup({ sequencer: 'peer-node', admins: [asha.device.publicKey], keyPackage: await asha.keyPackage() }, ctx)).rejects.toThrow(InvalidArgumentError)
  })

  it('survives the policy encoding, which refuses a salt of another length', async () => {
    const admin = (await makeDevice('asha.rao')).device.publicKey
    const policy = { sequencer: 'peer-node', admins: [admin], idSalt: salt }
    expect(decodeGroupPolicy(encodeGroupPolicy(policy))).toEqual(policy)
    expect(() => encodeGroupPolicy({ ...policy, idSalt: new Uint8Array(8) })).toThrow(InvalidArgumentError)
    expect(() => decodeGroupPolicy(encodeGroupPolicy({ sequencer: 'peer-node', admins: [admin] }).slice(0, 3))).toThrow(MalformedInputError)
  })

  it('is kept by a policy change only when sequencer and salt stay', () => {
    const admins = [new Uint8Array(32).fill(1)]
    const before = { sequencer: 'peer-node', admins, idSalt: salt }
    expect(keepsGroupIdentity(before, { ...before, admins: [...admins, new Uint8Array(32).fill(2)] })).toBe(true)
    expect(keepsGroupIdentity(before, { ...before, sequencer: 'peer-other' })).toBe(false)
    expect(keepsGroupIdentity(before, { ...before, idSalt: new Uint8Array(16) })).toBe(false)
    expect(keepsGroupIdentity(before, { sequencer: 'peer-node', admins })).toBe(false)
  })
})
