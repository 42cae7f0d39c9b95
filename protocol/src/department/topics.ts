import { fromHex, toHex } from '../bytes.js'

/**
 * Gossipsub topic names. Conversation topics are opaque (derived from the
 * random MLS group id) so a relay learns nothing about who talks about what.
 */
const CONVERSATION_PREFIX = 'dak/c/'
const INBOX_PREFIX = 'dak/i/'
const CONTROL_PREFIX = 'dak/d/'
const OFFICERS_PREFIX = 'dak/o/'

export function conversationTopic (groupId: Uint8Array): string {
  return CONVERSATION_PREFIX + toHex(groupId)
}

/**
 * Every device listens on its own inbox topic for Welcomes (being added to a
 * conversation it does not know yet). Department nodes store it like any topic,
 * so a Welcome waits for an officer who is offline.
 */
export function inboxTopic (deviceKey: Uint8Array): string {
  return INBOX_PREFIX + toHex(deviceKey)
}

/** A department's control topic: revocation lists. */
export function controlTopic (department: string): string {
  return CONTROL_PREFIX + department
}

/**
 * A department's officers topic: the certificate of every device it enrols,
 * published at enrolment, so devices already online learn new colleagues at
 * once (the directory pull reaches only devices that connect later).
 */
export function officersTopic (department: string): string {
  return OFFICERS_PREFIX + department
}

export function isConversationTopic (topic: string): boolean {
  return topic.startsWith(CONVERSATION_PREFIX) && /^[0-9a-f]{32}$/.test(topic.slice(CONVERSATION_PREFIX.length))
}

/** The group id a conversation topic names, or undefined for any other topic. */
export function groupIdOfTopic (topic: string): Uint8Array | undefined {
  return isConversationTopic(topic) ? fromHex(topic.slice(CONVERSATION_PREFIX.length)) : undefined
}

export function isInboxTopic (topic: string): boolean {
  return topic.startsWith(INBOX_PREFIX) && /^[0-9a-f]{64}$/.test(topic.slice(INBOX_PREFIX.length))
}
