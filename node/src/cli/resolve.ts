import type { ConversationSummary, Messenger } from '../messenger/api.js'
import { UnknownConversationError } from '../messenger/messenger.js'
import { AmbiguousConversationError } from './errors.js'

/**
 * A conversation as a person types it: its id (`dak/c/<hex>`, or just a
 * unique start of the hex), or a unique start of its title, any case. An
 * exact title beats prefixes, so "Budget" is not ambiguous beside "Budget cell".
 */
export async function resolveConversation (messenger: Messenger, reference: string): Promise<ConversationSummary> {
  const all = await messenger.conversations()
  const byId = all.find(c => c.id === reference)
  if (byId != null) return byId
  const wanted = reference.toLowerCase()
  const candidates = /^[0-9a-f]{4,32}$/.test(wanted) ? all.filter(c => hexOf(c.id).startsWith(wanted)) : []
  const exactTitle = all.filter(c => c.title.toLowerCase() === wanted)
  const byTitle = exactTitle.length > 0 ? exactTitle : all.filter(c => c.title.toLowerCase().startsWith(wanted))
  const matches = [...new Map([...candidates, ...byTitle].map(c => [c.id, c])).values()]
  if (matches.length === 1) return matches[0] as ConversationSummary
  if (matches.length === 0) throw new UnknownConversationError(`no conversation "${reference}" on this device (dak conversations lists them)`)
  throw new AmbiguousConversationError(`"${reference}" matches ${matches.length} conversations: ${matches.map(c => `${c.title} (${c.id})`).join(', ')}`)
}

function hexOf (id: string): string {
  return id.slice(id.lastIndexOf('/') + 1)
}
