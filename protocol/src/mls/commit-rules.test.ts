import { contentTypes, defaultProposalTypes, wireformats, type KeyPackage, type LeafNode, type ProposalWithSender, type UpdatePath } from 'ts-mls'
import { describe, expect, it } from 'vitest'
import { ForbiddenCommitError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { checkAddedKeysFresh, checkUpdatePath, KeySet } from './commit-rules.js'
import { proposeSelfUpdate } from './commit.js'
import { decodeMlsMessage } from './framing.js'
import { openKeyPackageBundle } from './keypackages.js'
import { decodeGroupPolicy, encodeGroupPolicy } from './group-policy.js'
import { leafAt, type ConversationState } from './state.js'
import { ctx, makeDevice, makeGroup, BUDGET } from './test-fixtures.js'

async function selfUpdatePath (state: ConversationState): Promise<UpdatePath> {
  const message = decodeMlsMessage((await proposeSelfUpdate(state, ctx)).commitBytes)
  if (message.wireformat !== wireformats.mls_public_message) throw new Error('commits are public')
  const content = message.publicMessage.content
  if (content.contentType !== contentTypes.commit || content.commit.path == null) throw new Error('expected a commit with a path')
  return content.commit.path
}

describe('update path checks (missing from ts-mls rc.10)', () => {
  it('accept an honest path, refuse reused keys and a leaf taken over by another device', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    const asha = states[0] as ConversationState
    const tree = asha.mls.ratchetTree
    const path = await selfUpdatePath(asha)
    expect(() => checkUpdatePath(tree, 0, path)).not.toThrow()

    const cyLeaf = leafAt(tree, 2)
    if (cyLeaf == null || path.nodes[0] == null) throw new Error('unexpected tree')
    // A path node carrying Cy's existing encryption key.
    const reused = { ...path, nodes: [{ ...path.nodes[0], hpkePublicKey: cyLeaf.hpkePublicKey }, ...path.nodes.slice(1)] }
    expect(() => checkUpdatePath(tree, 0, reused)).toThrow(ForbiddenCommitError)
    // The same key twice within the path.
    const repeated = { ...path, nodes: path.nodes.map(n => ({ ...n, hpkePublicKey: path.leafNode.hpkePublicKey })) }
    expect(() => checkUpdatePath(tree, 0, repeated)).toThrow(ForbiddenCommitError)
    // Asha's new leaf claiming Cy's certificate: not a successor of Asha's.
    const takeover = { ...path, leafNode: { ...path.leafNode, credential: cyLeaf.credential } }
    expect(() => checkUpdatePath(tree, 0, takeover)).toThrow(/may not be taken over/)
    // Asha's new leaf signing with Cy's signature key.
    const stolenKey = { ...path, leafNode: { ...path.leafNode, signaturePublicKey: cyLeaf.signaturePublicKey } }
    expect(() => checkUpdatePath(tree, 0, stolenKey)).toThrow(ForbiddenCommitError)
  })
})

describe('freshness of the keys a commit adds', () => {
  function add (keyPackage: KeyPackage, keys: Partial<Pick<LeafNode, 'hpkePublicKey' | 'signaturePublicKey'>> = {}): ProposalWithSender {
    return { proposal: { proposalType: defaultProposalTypes.add, add: { keyPackage: { ...keyPackage, leafNode: { ...keyPackage.leafNode, ...keys } } } }, senderLeafIndex: 0 }
  }

  it('accepts fresh key packages, refuses keys already in the group or added twice', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const tree = (states[0] as ConversationState).mls.ratchetTree
    const bo = leafAt(tree, 1)
    if (bo == null) throw new Error('unexpected tree')
    const cy = openKeyPackageBundle(await (await makeDevice('cy.diaz')).keyPackage()).keyPackage
    const di = openKeyPackageBundle(await (await makeDevice('di.evans')).keyPackage()).keyPackage
    expect(() => checkAddedKeysFresh(tree, [add(cy), add(di)])).not.toThrow()

    // Bo's encryption key, as a copy: compared by value, not by reference.
    expect(() => checkAddedKeysFresh(tree, [add(cy, { hpkePublicKey: bo.hpkePublicKey.slice() })])).toThrow(ForbiddenCommitError)
    expect(() => checkAddedKeysFresh(tree, [add(cy, { signaturePublicKey: bo.signaturePublicKey.slice() })])).toThrow(ForbiddenCommitError)
    expect(() => checkAddedKeysFresh(tree, [add(cy), add(di, { hpkePublicKey: cy.leafNode.hpkePublicKey })])).toThrow(ForbiddenCommitError)
    expect(() => checkAddedKeysFresh(tree, [add(cy), add(di, { signaturePublicKey: cy.leafNode.signaturePublicKey })])).toThrow(ForbiddenCommitError)

    // Bo removed and re-added in the same commit keeps the signature key its certificate names.
    const removeBo: ProposalWithSender = { proposal: { proposalType: defaultProposalTypes.remove, remove: { removed: 1 } }, senderLeafIndex: 0 }
    expect(() => checkAddedKeysFresh(tree, [removeBo, add(cy, { signaturePublicKey: bo.signaturePublicKey })])).not.toThrow()
    // ... but not the encryption key of its old leaf.
    expect(() => checkAddedKeysFresh(tree, [removeBo, add(cy, { hpkePublicKey: bo.hpkePublicKey })])).toThrow(ForbiddenCommitError)

    // A key that differs from Bo's only in the middle, where its fingerprint does not look, is fresh.
    const lookalike = bo.hpkePublicKey.slice()
    lookalike[lookalike.length >> 1]! ^= 1
    expect(() => checkAddedKeysFresh(tree, [add(cy, { hpkePublicKey: lookalike })])).not.toThrow()
  })

  it('KeySet holds keys by value, and keys that share a fingerprint stay apart', () => {
    const keys = new KeySet()
    const key = Uint8Array.from({ length: 1216 }, (_, i) => i * 7)
    const sameEnds = key.slice()
    sameEnds[600]! ^= 0xff
    const longer = new Uint8Array([...key, 0])
    keys.add(key)
    expect(keys.has(key.slice())).toBe(true)
    expect(keys.has(sameEnds)).toBe(false)
    expect(keys.has(longer)).toBe(false)
    keys.add(sameEnds)
    expect(keys.has(sameEnds)).toBe(true)
    expect(keys.has(key)).toBe(true)
    expect(keys.has(new Uint8Array(0))).toBe(false)
    keys.add(new Uint8Array(0))
    expect(keys.has(new Uint8Array(0))).toBe(true)
    expect(keys.has(new Uint8Array(3))).toBe(false)
  })
})

describe('group policy encoding', () => {
  const admin = BUDGET.authority.publicKey
  it('round-trips and is canonical', () => {
    const bytes = encodeGroupPolicy({ sequencer: '12D3KooWexample', admins: [admin] })
    expect(decodeGroupPolicy(bytes)).toEqual({ sequencer: '12D3KooWexample', admins: [admin] })
    // The same fields with an unknown field appended: another byte string, refused.
    expect(() => decodeGroupPolicy(new Uint8Array([...bytes, 0x20, 0x01]))).toThrow(MalformedInputError)
  })

  it('refuses policies no group could live with', () => {
    expect(() => encodeGroupPolicy({ sequencer: '', admins: [admin] })).toThrow(InvalidArgumentError)
    expect(() => encodeGroupPolicy({ sequencer: 'peer', admins: [] })).toThrow(InvalidArgumentError)
    expect(() => encodeGroupPolicy({ sequencer: 'peer', admins: [admin, admin] })).toThrow(InvalidArgumentError)
    expect(() => encodeGroupPolicy({ sequencer: 'peer', admins: [new Uint8Array(31)] })).toThrow(InvalidArgumentError)
  })
})
