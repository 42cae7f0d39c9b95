import type { KeyShape } from './at-rest.js'
import type { Section } from './backend.js'
import type { WriteTransaction } from './transaction.js'

/**
 * The sublevels of the device store (under the 'dak' namespace). Names are
 * flat, not nested, so that no section's range ever contains another's keys;
 * docs/storage.md lists each one's key format.
 */
export const SECTION_NAMES = [
  'identity', // this device's secrets and credentials, one key per field
  'revocations', // revocation list bytes by authority key (hex)
  'groups', // serialised MLS group state by group id (hex): the own record of a split state, or a whole one
  'group-shared', // the shared record (group context and tree) of a split state, by group id (hex)
  'conversations', // conversation record by id (topic)
  'conversation-activity', // index: <lastActivityAt>!<conversationId> → ''
  'messages', // message record by <conversationId>!<sentAt>!<messageId>
  'message-ids', // index: <messageId> → the message's key in 'messages'
  'unread', // index of unread incoming messages, same keys as 'messages'
  'outbox', // outbox entry by id
  'outbox-due', // index: <nextAttemptAt>!<entryId> → ''
  'outbox-lanes', // index of the laned entries (precedence): <lane>!<nextAttemptAt>!<entryId> → ''
  'cursors', // last store sequence synced, by <topic>!<storeNode>
  'peers', // known certificate by device key (hex)
  'peer-handles', // index: <handle>!<deviceKey> → ''
  'seen', // envelope ids already processed → when
  'key-packages', // this device's MLS key packages by reference (hex)
  'sender-seqs', // sender sequence numbers received, by <topic>!<senderDeviceKey>
  'files', // attachments: file record (manifest, key) by file id (docs/files.md)
  'file-chunks', // attachments: ciphertext chunk by <fileId>!<index>
  // issue 16: everyday messaging and directives
  'member-receipts', // delivered/read per member of this device's messages, by <messageId>!<deviceKey>
  'directives', // signed directive bytes by message id
  'directive-acks', // signed acknowledgements by <messageId>!<deviceKey>
  'conversation-prefs', // this device's draft and mute by conversation id
  'settings', // settings from the department node (edit window) by name
  'message-expiry', // disappearing messages, index: <expiresAt>!<messageId> → '' (time first: a sweep reads the oldest first)
  // delay-tolerant carry (docs/messenger.md, "Carry")
  'carried', // sealed envelopes of this device's conversations, by <topic>!<keptAt>!<envelopeId>
  'carry-out', // index: those still to be deposited at a department node, same keys as 'carried' → ''
  // linked devices (docs/messenger.md, "History transfer")
  'history-transfers' // history this device asked another device of its officer for, by request id (hex)
] as const

export type SectionName = typeof SECTION_NAMES[number]

const NAME: KeyShape = ['name']
/**
 * How each section's keys are stored at rest (at-rest.ts): every part that
 * names something is hashed; timestamps stay, because history, the
 * conversation list and the outbox read them in time order. A section read
 * by prefix (a conversation's messages, a topic's cursors, a handle's
 * devices) hashes the prefix on its own so the prefix is still one range.
 */
export const KEY_SHAPES: Readonly<Record<SectionName, KeyShape>> = {
  identity: NAME,
  revocations: NAME,
  groups: NAME,
  'group-shared': NAME,
  conversations: NAME,
  'conversation-activity': ['time', 'name'],
  messages: ['name', 'time', 'name'],
  'message-ids': NAME,
  unread: ['name', 'time', 'name'],
  outbox: NAME,
  'outbox-due': ['time', 'name'],
  'outbox-lanes': ['name', 'time', 'name'],
  cursors: ['name', 'name'],
  peers: NAME,
  'peer-handles': ['name', 'name'],
  seen: NAME,
  'key-packages': NAME,
  'sender-seqs': ['name', 'name'],
  files: NAME,
  'file-chunks': ['name', 'name'],
  'member-receipts': ['name', 'name'],
  directives: NAME,
  'directive-acks': ['name', 'name'],
  'conversation-prefs': NAME,
  settings: NAME,
  'message-expiry': ['time', 'name'],
  carried: ['name', 'time', 'name'],
  'carry-out': ['name', 'time', 'name'],
  'history-transfers': NAME
}
export type Sections = Readonly<Record<SectionName, Section>>

/** What every repository is built from: its sections and the store's one writer. */
export interface RepositoryContext {
  readonly sections: Sections
  /** Run `body` as the store's only writer, then write everything it staged in one batch. */
  transact: <T>(body: (tx: WriteTransaction) => Promise<T>) => Promise<T>
}

export const EMPTY = new Uint8Array(0)
