import { epochOfState, toHex, type Certificate } from '@dak/protocol'
import type { ConversationMember, StoredConversation } from '../storage/index.js'
import type { ConversationSummary, OfficerSummary } from './api.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { officerOf } from './officers.js'
import { closedText, revokedMessage } from './closed.js'
import { revokedOther } from './direct-ended.js'
import { missingLines } from './gaps.js'

export function membersOf (certificates: Certificate[]): ConversationMember[] {
  return certificates.map(c => ({ handle: c.handle, deviceKey: toHex(c.devicePublicKey) }))
}

/**
 * The title to store for a direct chat whose other officer is being removed
 * (left, removed, revoked), when none is stored yet (chats from versions that
 * titled a direct chat on the fly): the chat keeps that officer's name.
 */
export function directTitle (conversation: StoredConversation, removed: Certificate[]): string | undefined {
  if (conversation.kind !== 'direct' || conversation.title !== '') return undefined
  return removed[0]?.displayName
}

/**
 * The UI's view of a stored conversation. A direct chat is titled by the other
 * officer, and keeps that name once they are gone (the stored title). Officers
 * being added are listed among the members and in `waitingFor` until their
 * device is in the group.
 */
export async function summarise (ctx: EngineContext, directory: Directory, conversation: StoredConversation): Promise<ConversationSummary> {
  const me = toHex(ctx.keys.device.publicKey)
  const describe = async (member: ConversationMember): Promise<OfficerSummary> =>
    member.deviceKey === me ? officerOf(ctx.keys.certificate) : (await directory.describe(member.deviceKey)) ?? { handle: member.handle, displayName: member.handle, title: '', department: '', deviceKey: member.deviceKey }
  const members: OfficerSummary[] = []
  for (const member of conversation.members) members.push(await describe(member))
  const waitingFor: OfficerSummary[] = []
  for (const handle of conversation.invited ?? []) {
    if (members.some(m => m.handle === handle)) continue
    const [device] = await directory.devicesOf(handle)
    waitingFor.push(device != null ? officerOf(device) : { handle, displayName: handle, title: '', department: '', deviceKey: '' })
  }
  const others = [...members.filter(m => m.deviceKey !== me), ...waitingFor]
  // the officer's own other devices (linked devices) are members too: a direct chat is titled by the other officer
  const otherOfficer = others.find(m => m.handle !== ctx.keys.certificate.handle)
  const title = conversation.kind === 'direct' && otherOfficer != null
    ? otherOfficer.displayName
    : (conversation.title !== '' ? conversation.title : others.map(m => m.displayName).join(', ') || 'New conversation')
  return {
    id: conversation.id,
    kind: conversation.kind,
    title,
    members: [...members, ...waitingFor],
    admins: conversation.admins,
    ...(conversation.lastMessage != null ? { lastMessage: { text: conversation.lastMessage.text, sentAt: conversation.lastMessage.sentAt, fromMe: conversation.lastMessage.fromMe } } : {}),
    unread: conversation.unread,
    ...await closedState(ctx, directory, conversation),
    waitingFor,
    missing: await missingLines(ctx, directory, conversation.id),
    ...await everydayState(ctx, conversation), // issue 16
    ...(conversation.timerMs != null && conversation.timerMs > 0 ? { timerMs: conversation.timerMs } : {}),
    ...await epochOf(ctx, conversation)
  }
}

async function closedState (ctx: EngineContext, directory: Directory, conversation: StoredConversation): Promise<Pick<ConversationSummary, 'state' | 'closed'>> {
  const revoked = ctx.revoked()
  if (conversation.closed == null && revoked != null) return { state: 'closed', closed: { reason: 'revoked', at: revoked.at, text: revokedMessage(revoked) } }
  const closed = conversation.closed ?? await revokedOther(ctx, conversation)
  if (closed == null) return { state: 'active' }
  const by = closed.by != null ? await directory.describe(closed.by) : undefined
  return { state: 'closed', closed: { reason: closed.reason, ...(by != null ? { by } : {}), at: closed.at, text: closedText(closed, conversation.title, by?.displayName) } }
}

/** Mute, draft and the first unread message (issue 16), only when there is something to say. */
async function everydayState (ctx: EngineContext, conversation: StoredConversation): Promise<Pick<ConversationSummary, 'muted' | 'draft' | 'firstUnread'>> {
  const prefs = await ctx.store.prefs.of(conversation.id)
  const firstUnread = conversation.unread > 0 ? await ctx.store.firstUnread(conversation.id) : undefined
  return { ...prefs, ...(firstUnread != null ? { firstUnread } : {}) }
}

/** The group's epoch here, when this device has the group's state. */
async function epochOf (ctx: EngineContext, conversation: StoredConversation): Promise<Pick<ConversationSummary, 'epoch'>> {
  const state = await ctx.groups.get(conversation.groupId)
  return state != null ? { epoch: epochOfState(state).toString() } : {}
}
