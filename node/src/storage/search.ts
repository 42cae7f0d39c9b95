import { InvalidArgumentError } from '@dak/protocol'
import { keyPart, prefixRange } from './keys.js'
import type { Sections } from './layout.js'
import { decodeMessage, type StoredMessage } from './message-record.js'
import { matchesAll, queryWords } from './search-text.js'

/** Most hits one search returns: a screenful or two; refine the words for more. */
export const MAX_SEARCH_HITS = 200
export const DEFAULT_SEARCH_HITS = 50

/**
 * Search this device's history: every message record is read and compared
 * in the clear, here on the device (records are sealed at rest, so there is
 * no index a copied disk could read either). Newest first; deleted messages
 * and system lines are never hits. Cost grows with the history: one full
 * read of the 'messages' section per search, as many records as are stored.
 */
export async function searchMessages (sections: Sections, query: string, options: { conversationId?: string, limit?: number } = {}): Promise<StoredMessage[]> {
  const limit = options.limit ?? DEFAULT_SEARCH_HITS
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_SEARCH_HITS) throw new InvalidArgumentError(`a search returns 1-${MAX_SEARCH_HITS} messages`)
  const words = queryWords(query)
  if (words.length === 0) throw new InvalidArgumentError('search for at least one word')
  const range = options.conversationId !== undefined ? prefixRange(keyPart('conversation id', options.conversationId)) : {}
  const hits: StoredMessage[] = []
  for (const [key, bytes] of await sections.messages.entries(range)) {
    const message = decodeMessage(key, bytes)
    if (message.kind !== 'text' || message.deletedAt !== undefined) continue
    if (matchesAll(message.text, words)) hits.push(message)
  }
  // keys sort by conversation, then time: newest first across conversations
  return hits.sort((a, b) => b.sentAt - a.sentAt).slice(0, limit)
}
