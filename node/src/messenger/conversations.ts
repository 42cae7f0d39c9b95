import { createGroup, createKeyPackage, GROUP_ID_SALT_BYTES, groupIdFor, loadSuite, proposeLeave, toHex, EnvelopeKind, type Certificate } from '@dak/protocol'
import type { ConversationSummary } from './api.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { queueMembership } from './membership.js'
import { OUTBOX } from './outgoing.js'
import { sealPayload } from './sealing.js'
import { membersOf, summarise } from './summaries.js'
import { conversationTopic } from '@dak/protocol/department'
import { officerOf } from './officers.js'
import { LANE } from './precedence-lanes.js'

/**
 * Start a conversation: a new MLS group naming its sequencer (the department
 * node in reach, else this device) with this device as admin, then a
 * membership change in the outbox that adds the others through the sequencer.
 */
export async function createConversation (ctx: EngineContext, directory: Directory, kind: 'direct' | 'group', title: string, handles: string[], onCreated: (id: string) => void): Promise<ConversationSummary> {
  const invited: Certificate[] = []
  for (const handle of handles) invited.push(...(await directory.require(handle)).slice(0, 1))
  // a direct chat is titled by the other officer from the start, and keeps that name
  const stored = kind === 'direct' ? (invited[0]?.displayName ?? '') : title
  const sequencer = ctx.departments.connected()[0]?.id ?? ctx.keys.peerId
  // the group id is derived from the sequencer and this salt, so joiners can tell a look-alike (protocol group-id.ts)
  const idSalt = ctx.randomBytes(GROUP_ID_SALT_BYTES)
  const groupIdBytes = groupIdFor(sequencer, idSalt)
  const groupId = toHex(groupIdBytes)
  const id = conversationTopic(groupIdBytes)
  const keyPackage = await createKeyPackage({ certificate: ctx.keys.certificate.bytes, signatureKeyPair: ctx.keys.mls, suite: await loadSuite() })
  const state = await createGroup({ idSalt, sequencer, admins: [ctx.keys.device.publicKey], keyPackage }, ctx.verifyContext())
  const me = officerOf(ctx.keys.certificate)
  await ctx.store.commit([
    { type: 'conversation-create', conversation: { id, kind, groupId, title: stored, members: membersOf([ctx.keys.certificate]), admins: [me.handle], sequencer, createdAt: ctx.now(), invited: handles } },
    ctx.groups.persistOp(groupId, state)
  ])
  ctx.groups.remember(groupId, state)
  onCreated(id)
  // a direct chat's info names its starter: what the chat is called at the other end (the protocol wants a title)
  if (handles.length > 0) await queueMembership(ctx, id, { add: handles, remove: [], info: { title: kind === 'direct' ? me.displayName : title, direct: kind === 'direct' } })
  const created = await ctx.store.conversations.get(id)
  if (created == null) throw new Error('conversation vanished right after it was created')
  return await summarise(ctx, directory, created)
}

/** Ask to leave: a proposal any admin's next commit carries out. */
export async function leaveConversation (ctx: EngineContext, conversationId: string): Promise<void> {
  const closedNow = await ctx.serial(async () => {
    const conversation = await ctx.store.conversations.get(conversationId)
    const state = conversation == null ? undefined : await ctx.groups.get(conversation.groupId)
    if (conversation == null || state == null) return false
    if (conversation.closed != null) return false
    const left = await proposeLeave(state, { retention: ctx.verifyContext().retention })
    const sealed = await sealPayload(ctx, EnvelopeKind.PROPOSAL, conversationId, left.proposalBytes)
    await ctx.store.commit([
      ...sealed.ops,
      // closed from now on: what the group says until an admin commits the leave is not for us
      { type: 'conversation-update', id: conversationId, changes: { closed: { reason: 'left', at: ctx.now() } } },
      ctx.groups.persistOp(conversation.groupId, left.state),
      { type: 'outbox-add', entry: { id: toHex(sealed.envelope.id), conversationId, kind: OUTBOX.sealedOther, payload: sealed.envelope.bytes, createdAt: ctx.now(), lane: LANE.first } }
    ])
    ctx.groups.remember(conversation.groupId, left.state)
    return true
  })
  if (!closedNow) return
  ctx.kick()
  ctx.mesh.unsubscribe(conversationId)
  ctx.emitter.emit('conversation-removed', { conversationId, reason: 'left' })
}
