import { isPrecedence } from '@dak/protocol'
import type { ChatMessage, DirectiveInfo, QuotedMessage } from '../messenger/api.js'
import type { RecordReader } from './codec.js'

/**
 * The optional parts of a message record added for issue 16: the quote of the
 * message it answers, its edit and deletion times, and directive details.
 * Absent fields are not written, so records of older versions read the same.
 */
type Extras = Pick<ChatMessage, 'replyTo' | 'editedAt' | 'deletedAt' | 'directive' | 'precedence' | 'fromMyOtherDevice'>

export function encodeExtras (message: ChatMessage): Extras {
  const { replyTo, editedAt, deletedAt, directive, precedence, fromMyOtherDevice } = message
  return {
    ...(fromMyOtherDevice === true ? { fromMyOtherDevice } : {}),
    // issue 11 part 4: flash or immediate; routine is never written, so older records read as routine
    ...(precedence !== undefined && precedence !== 'routine' ? { precedence } : {}),
    ...(replyTo !== undefined ? { replyTo: { id: replyTo.id, text: replyTo.text, sender: replyTo.sender } } : {}),
    ...(editedAt !== undefined ? { editedAt } : {}),
    ...(deletedAt !== undefined ? { deletedAt } : {}),
    ...(directive !== undefined ? { directive: directiveFields(directive) } : {})
  }
}

function directiveFields (d: DirectiveInfo): DirectiveInfo {
  return { issuedAt: d.issuedAt, ...(d.deadline !== undefined ? { deadline: d.deadline } : {}), ...(d.acknowledgedAt !== undefined ? { acknowledgedAt: d.acknowledgedAt } : {}) }
}

export function decodeExtras (r: RecordReader): Extras {
  const replyTo = r.optionalObject('replyTo', (q): QuotedMessage => ({ id: q.string('id'), text: q.string('text'), sender: q.string('sender') }))
  const directive = r.optionalObject('directive', (d): DirectiveInfo => {
    const deadline = d.optionalCount('deadline')
    const acknowledgedAt = d.optionalCount('acknowledgedAt')
    return { issuedAt: d.count('issuedAt'), ...(deadline !== undefined ? { deadline } : {}), ...(acknowledgedAt !== undefined ? { acknowledgedAt } : {}) }
  })
  const editedAt = r.optionalCount('editedAt')
  const deletedAt = r.optionalCount('deletedAt')
  const fromMyOtherDevice = r.optionalBoolean('fromMyOtherDevice')
  const precedence = r.optionalString('precedence')
  if (precedence !== undefined && (!isPrecedence(precedence) || precedence === 'routine')) throw r.corrupt(`precedence '${precedence}' is not flash or immediate`)
  return {
    ...(fromMyOtherDevice === true ? { fromMyOtherDevice } : {}),
    ...(precedence !== undefined ? { precedence } : {}),
    ...(replyTo !== undefined ? { replyTo } : {}),
    ...(editedAt !== undefined ? { editedAt } : {}),
    ...(deletedAt !== undefined ? { deletedAt } : {}),
    ...(directive !== undefined ? { directive } : {})
  }
}
