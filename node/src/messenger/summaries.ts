import { toHex, type Certificate } from '@dak/protocol'
import type { ConversationMember, StoredConversation } from '../storage/index.js'
import type { ConversationSummary, OfficerSummary } from './api.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { officerOf } from './officers.js'

export function membersOf (certificates: Certificate[]): ConversationMember[] {
  return certificates.map(c => ({ handle: c.handle, deviceKey: toHex(c.devicePublicKey) }))
}

/** The UI's view of a stored conversation: a 1:1 is titled by the other officer. */
export async function summarise (ctx: EngineContext, directory: Directory, conversation: StoredConversation): Promise<ConversationSummary> {
  const me = toHex(ctx.keys.device.publicKey)
  const members: OfficerSummary[] = []
  for (const member of conversation.members) {
    members.push(member.deviceKey === me ? officerOf(ctx.keys.certificate) : (await directory.describe(member.deviceKey)) ?? { handle: member.handle, displayName: member.handle, title: '', department: '', deviceKey: member.deviceKey })
  }
  const other = members.find(m => m.deviceKey !== me)
  const title = conversation.kind === 'direct' && other != null ? other.displayName : (conversation.title !== '' ? conversation.title : members.filter(m => m.deviceKey !== me).map(m => m.displayName).join(', ') || 'New conversation')
  return {
    id: conversation.id,
    kind: conversation.kind,
    title,
    members,
    admins: conversation.admins,
    ...(conversation.lastMessage != null ? { lastMessage: { text: conversation.lastMessage.text, sentAt: conversation.lastMessage.sentAt, fromMe: conversation.lastMessage.fromMe } } : {}),
    unread: conversation.unread,
    state: 'active',
    waitingFor: []
  }
}
