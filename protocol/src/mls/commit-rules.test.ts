import { contentTypes, wireformats, type UpdatePath } from 'ts-mls'
import { describe, expect, it } from 'vitest'
import { ForbiddenCommitError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { checkUpdatePath } from './commit-rules.js'
import { proposeSelfUpdate } from './commit.js'
import { decodeMlsMessage } from './framing.js'
import { decodeGroupPolicy, encodeGroupPolicy } from './group-policy.js'
import { leafAt, type ConversationState } from './state.js'
import { ctx, makeGroup, BUDGET } from './test-fixtures.js'

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
