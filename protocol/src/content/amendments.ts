import { InvalidArgumentError } from '../errors.js'
import { ContentKind, type AppContent } from '../wire/generated/content.js'
import { checkDirectiveAckShape, type SignedDirectiveAck } from './directive-ack.js'
import { MESSAGE_ID_BYTES } from './limits.js'
import { checkText } from './text.js'

/**
 * Content that refers to an earlier message (issue 16): an edit or deletion
 * of the sender's own message, and an addressee's signed acknowledgement of
 * a directive. Kept apart from app-content.ts, which only dispatches here.
 * Who may send them and when is the receiver's decision (node/src/messenger/amend.ts):
 * the shape alone says nothing about the sender.
 */

interface CommonContent {
  clientId: Uint8Array
}

/** The sender's new text for one of its own messages (`target`: its message id). */
export interface EditContent extends CommonContent {
  kind: 'edit'
  target: Uint8Array
  text: string
}

/** The sender withdraws one of its own messages for every member. */
export interface DeleteContent extends CommonContent {
  kind: 'delete'
  target: Uint8Array
}

/** An addressee acknowledges a directive, with a signature a third party can check (directive-ack.ts). */
export interface DirectiveAckContent extends CommonContent {
  kind: 'directive-ack'
  ack: SignedDirectiveAck
}

export type AmendmentContent = EditContent | DeleteContent | DirectiveAckContent

export const AMENDMENT_KINDS: ReadonlySet<string> = new Set(['edit', 'delete', 'directive-ack'])

function checkTarget (target: Uint8Array): void {
  if (!(target instanceof Uint8Array) || target.length !== MESSAGE_ID_BYTES) throw new InvalidArgumentError(`an edit or deletion names a ${MESSAGE_ID_BYTES}-byte message id`)
}

export function checkAmendment (content: AmendmentContent): void {
  switch (content.kind) {
    case 'edit':
      checkTarget(content.target)
      checkText(content.text, 'edited text')
      return
    case 'delete':
      checkTarget(content.target)
      return
    case 'directive-ack':
      checkDirectiveAckShape(content.ack)
      return
  }
}

/** The AppContent fields of an amendment (beside version and client id). */
export function amendmentToWire (content: AmendmentContent): Partial<AppContent> {
  switch (content.kind) {
    case 'edit': return { kind: ContentKind.EDIT, target: content.target, text: content.text }
    case 'delete': return { kind: ContentKind.DELETE, target: content.target }
    case 'directive-ack': return { kind: ContentKind.DIRECTIVE_ACK, directiveAck: content.ack }
  }
}

/** The amendment a wire AppContent carries, refusing fields that do not belong to its kind; undefined for other kinds. */
export function amendmentFromWire (wire: AppContent): AmendmentContent | undefined {
  const others = wire.receipt != null || wire.directive != null || wire.replyTo.length > 0 || wire.title !== '' || wire.direct
  switch (wire.kind) {
    case ContentKind.EDIT:
      if (others || wire.directiveAck != null) throw new InvalidArgumentError('edit content must carry a target and text only')
      return { kind: 'edit', target: wire.target, text: wire.text, clientId: wire.clientId }
    case ContentKind.DELETE:
      if (others || wire.directiveAck != null || wire.text !== '') throw new InvalidArgumentError('delete content must carry a target only')
      return { kind: 'delete', target: wire.target, clientId: wire.clientId }
    case ContentKind.DIRECTIVE_ACK:
      if (others || wire.directiveAck == null || wire.text !== '' || wire.target.length > 0) throw new InvalidArgumentError('acknowledgement content must carry an acknowledgement only')
      return { kind: 'directive-ack', ack: wire.directiveAck, clientId: wire.clientId }
    default:
      return undefined
  }
}
