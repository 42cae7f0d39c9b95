import { keyPart, prefixRange, splitKey } from './keys.js'
import type { Sections } from './layout.js'

/** The id of the oldest unread message of a conversation (the 'unread' index is in timeline order), for "jump to first unread". */
export async function firstUnread (sections: Sections, conversationId: string): Promise<string | undefined> {
  const [entry] = await sections.unread.entries({ ...prefixRange(keyPart('conversation id', conversationId)), limit: 1 })
  if (entry == null) return undefined
  return splitKey(entry[0], 3, 'unread key')[2]
}
