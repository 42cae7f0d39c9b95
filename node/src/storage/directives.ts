import { InvalidArgumentError } from '@dak/protocol'
import { bytesField, decodeRecord, encodeRecord } from './codec.js'
import { joinKey, keyPart, prefixRange } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Signed directives and the signed acknowledgements of them, as their exact
 * wire bytes: what `dak directive export` puts in an evidence file. The
 * message record holds what the UI shows; this holds what a third party
 * checks. 'directives': `<messageId>` → { conversationId, directive };
 * 'directive-acks': `<messageId>!<deviceKey>` → { handle, at, ack }.
 */
export interface StoredDirective {
  conversationId: string
  /** Encoded wire Directive (text, times, signer certificate, signature). */
  directive: Uint8Array
}

export interface StoredDirectiveAck {
  deviceKey: string
  handle: string
  /** The acknowledgement's signed time. */
  at: number
  /** Encoded wire DirectiveAck. */
  ack: Uint8Array
}

export type DirectiveOp =
  | { type: 'directive-put', id: string, conversationId: string, directive: Uint8Array }
  | { type: 'directive-ack-put', id: string, ack: StoredDirectiveAck }

export interface DirectiveRepository {
  get: (id: string) => Promise<StoredDirective | undefined>
  /** Every acknowledgement stored for directive `id`, one per device. */
  acks: (id: string) => Promise<StoredDirectiveAck[]>
  /** Ids of every directive stored (for reminders after a restart). */
  ids: () => Promise<string[]>
}

function checkBytes (what: string, bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new InvalidArgumentError(`${what} must be non-empty bytes`)
}

export async function applyDirectiveOp (tx: WriteTransaction, sections: Sections, op: DirectiveOp): Promise<void> {
  if (op.type === 'directive-put') {
    checkBytes('a directive', op.directive)
    const key = keyPart('message id', op.id)
    // the first copy stays: a directive is signed and never changes
    if (await tx.get(sections.directives, key) !== undefined) return
    tx.put(sections.directives, key, encodeRecord({ conversationId: keyPart('conversation id', op.conversationId), directive: bytesField(op.directive) }))
    return
  }
  checkBytes('an acknowledgement', op.ack.ack)
  const key = joinKey(keyPart('message id', op.id), keyPart('device key', op.ack.deviceKey))
  // one acknowledgement per device, the first: a later one adds nothing to the evidence
  if (await tx.get(sections['directive-acks'], key) !== undefined) return
  tx.put(sections['directive-acks'], key, encodeRecord({ deviceKey: op.ack.deviceKey, handle: op.ack.handle, at: op.ack.at, ack: bytesField(op.ack.ack) }))
}

/** A queued directive gets its envelope id when sealed (messages.ts rename): its bytes move with it. */
export async function renameDirective (tx: WriteTransaction, sections: Sections, id: string, newId: string): Promise<void> {
  const key = keyPart('message id', id)
  const bytes = await tx.get(sections.directives, key)
  if (bytes === undefined) return
  tx.del(sections.directives, key)
  tx.put(sections.directives, keyPart('message id', newId), bytes)
}

export function createDirectiveRepository ({ sections }: RepositoryContext): DirectiveRepository {
  return {
    async get (id) {
      const bytes = await sections.directives.get(keyPart('message id', id))
      if (bytes === undefined) return undefined
      return decodeRecord(bytes, `directives/${id}`, r => ({ conversationId: r.string('conversationId'), directive: r.bytes('directive') }))
    },
    async ids () {
      return (await sections.directives.entries({})).map(([key]) => key)
    },
    async acks (id) {
      const entries = await sections['directive-acks'].entries(prefixRange(keyPart('message id', id)))
      return entries.map(([key, bytes]) => decodeRecord(bytes, `directive-acks/${key}`, r => ({ deviceKey: r.string('deviceKey'), handle: r.string('handle'), at: r.count('at'), ack: r.bytes('ack') })))
    }
  }
}
