import { InvalidArgumentError, utf8 } from '@dak/protocol'
import { decodeRecord, encodeRecord } from './codec.js'
import { keyPart } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * This device's own choices per conversation (a draft, muted) and the
 * settings its department node gave it (the edit window). Kept in the
 * store, so sealed at rest like the messages: a draft is as secret as what
 * it will become. 'conversation-prefs': `<conversationId>` → { draft?, muted? };
 * 'settings': `<name>` → { value }.
 */
/** A draft may be longer than a message can be (the officer is still cutting it down): 256 KiB of UTF-8. */
export const MAX_DRAFT_BYTES = 256 * 1024

export interface ConversationPrefs {
  draft?: string
  muted?: boolean
}

export type PrefsOp =
  | { type: 'conversation-prefs', conversationId: string, changes: ConversationPrefs }
  /** `value` undefined: the setting is removed (back to whatever applies without it). */
  | { type: 'setting', name: string, value: number | undefined }

export interface PrefsRepository {
  of: (conversationId: string) => Promise<ConversationPrefs>
  set: (conversationId: string, changes: ConversationPrefs) => Promise<void>
  setting: (name: string) => Promise<number | undefined>
  putSetting: (name: string, value: number | undefined) => Promise<void>
}

function decodePrefs (bytes: Uint8Array, where: string): ConversationPrefs {
  return decodeRecord(bytes, where, (r) => {
    const draft = r.optionalString('draft')
    const muted = r.optionalBoolean('muted')
    return { ...(draft !== undefined && draft !== '' ? { draft } : {}), ...(muted === true ? { muted } : {}) }
  })
}

export async function applyPrefsOp (tx: WriteTransaction, sections: Sections, op: PrefsOp): Promise<void> {
  if (op.type === 'setting') {
    if (op.value === undefined) {
      tx.del(sections.settings, keyPart('setting name', op.name))
      return
    }
    if (!Number.isSafeInteger(op.value) || op.value < 0) throw new InvalidArgumentError(`setting ${op.name} must be a non-negative integer`)
    tx.put(sections.settings, keyPart('setting name', op.name), encodeRecord({ value: op.value }))
    return
  }
  const key = keyPart('conversation id', op.conversationId)
  const { draft, muted } = op.changes
  if (draft !== undefined && (typeof draft !== 'string' || utf8(draft).length > MAX_DRAFT_BYTES)) throw new InvalidArgumentError(`a draft is text of at most ${MAX_DRAFT_BYTES} bytes`)
  if (muted !== undefined && typeof muted !== 'boolean') throw new InvalidArgumentError('muted is true or false')
  const stored = await tx.get(sections['conversation-prefs'], key)
  const before = stored !== undefined ? decodePrefs(stored, `conversation-prefs/${key}`) : {}
  const after = { ...before, ...op.changes }
  if (after.draft === '') delete after.draft
  if (after.muted === false) delete after.muted
  if (Object.keys(after).length === 0) tx.del(sections['conversation-prefs'], key)
  else tx.put(sections['conversation-prefs'], key, encodeRecord(after))
}

export function createPrefsRepository ({ sections, transact }: RepositoryContext): PrefsRepository {
  return {
    async of (conversationId) {
      const bytes = await sections['conversation-prefs'].get(keyPart('conversation id', conversationId))
      return bytes === undefined ? {} : decodePrefs(bytes, `conversation-prefs/${conversationId}`)
    },
    set: async (conversationId, changes) => { await transact(async (tx) => { await applyPrefsOp(tx, sections, { type: 'conversation-prefs', conversationId, changes }) }) },
    async setting (name) {
      const bytes = await sections.settings.get(keyPart('setting name', name))
      return bytes === undefined ? undefined : decodeRecord(bytes, `settings/${name}`, r => r.count('value'))
    },
    putSetting: async (name, value) => { await transact(async (tx) => { await applyPrefsOp(tx, sections, { type: 'setting', name, value }) }) }
  }
}
