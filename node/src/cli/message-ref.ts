import type { ChatMessage, Messenger } from '../messenger/api.js'
import { MAX_HISTORY_LIMIT } from '../storage/constants.js'
import { UsageError } from './errors.js'
import { UnknownMessageError } from './errors.js'

/** Shortest id prefix a person may type: 8 hex digits are unique in any one history. */
const MIN_PREFIX = 8

/**
 * A message as a person types it: its 64-digit id, or a unique start of it
 * (at least 8 digits; `dak history --ids` prints the first 12), among the
 * latest MAX_HISTORY_LIMIT messages of the conversation (or of every
 * conversation when none is named).
 */
export async function resolveMessage (messenger: Messenger, reference: string, conversationId?: string): Promise<ChatMessage> {
  const wanted = reference.toLowerCase()
  if (!/^[0-9a-f]+$/.test(wanted) || wanted.length < MIN_PREFIX || wanted.length > 64) throw new UsageError(`a message is named by its id or at least ${MIN_PREFIX} hex digits of it (dak history --ids shows them), not "${reference}"`)
  const conversations = conversationId != null ? [conversationId] : (await messenger.conversations()).map(c => c.id)
  const matches: ChatMessage[] = []
  for (const id of conversations) {
    const page = await messenger.history(id, { limit: MAX_HISTORY_LIMIT })
    matches.push(...page.messages.filter(m => m.id.startsWith(wanted)))
  }
  if (matches.length === 1) return matches[0] as ChatMessage
  if (matches.length === 0) throw new UnknownMessageError(`no message ${reference} among the latest ${MAX_HISTORY_LIMIT} of ${conversationId != null ? 'this conversation' : 'each conversation'}`)
  throw new UsageError(`${reference} names ${matches.length} messages: give more digits`)
}

/** "+30m", "+2h", "+1d" from now, or an ISO 8601 date and time. */
export function parseDeadline (text: string, now: number): number {
  const relative = /^\+(\d{1,5})([mhd])$/.exec(text)
  if (relative != null) return now + Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd']
  const at = Date.parse(text)
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at)) throw new UsageError(`--deadline is +30m, +2h, +1d or a date like 2025-02-01T17:00+05:30, not "${text}"`)
  if (at <= now) throw new UsageError('--deadline is in the past')
  return at
}
