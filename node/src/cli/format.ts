import type { Attachment, ChatMessage, ConnectionStatus, ConversationSummary, HistoryTransferStatus, OfficerSummary } from '../messenger/api.js'
import { formatSize } from './media-type.js'

/** Text-mode renderings; JSON mode prints the Messenger's own objects instead. */

export function officerLine (o: OfficerSummary): string {
  return `${o.handle}\t${o.displayName}, ${o.title} (${o.department})`
}

export function conversationLine (c: ConversationSummary): string {
  const unread = c.unread > 0 ? ` [${c.unread} unread]` : ''
  const last = c.lastMessage != null ? `  ${c.lastMessage.fromMe ? 'you: ' : ''}${oneLine(c.lastMessage.text)}` : ''
  const missing = (c.missing ?? []).map(m => ` [${m.text}]`).join('')
  return `${c.id}\t${c.kind === 'group' ? '#' : '@'}${c.title} (${c.members.map(m => m.handle).join(', ')})${closedNote(c)}${missing}${unread}${last}`
}

/** " [closed: you were removed by Asha Rao]": a closed conversation is history only. */
function closedNote (c: ConversationSummary): string {
  const closed = c.closed
  if (c.state !== 'closed' || closed == null) return ''
  const other = closed.by?.displayName ?? c.title
  const why = closed.reason === 'left'
    ? 'you left'
    : closed.reason === 'revoked'
      ? 'this device was revoked'
      : closed.reason === 'other-revoked'
        ? `${other}'s access was withdrawn`
        : closed.reason === 'other-left' ? `${other} left` : `you were removed${closed.by != null ? ` by ${closed.by.displayName}` : ''}`
  return ` [closed: ${why}]`
}

export function messageLine (m: ChatMessage, title?: string): string {
  const when = new Date(m.sentAt).toISOString().replace('T', ' ').slice(0, 19)
  const who = m.fromMe ? 'you' : m.fromMyOtherDevice === true ? 'you (other device)' : m.sender.displayName
  // a 1:1 is titled by the other officer: "Asha Rao · Asha Rao:" says nothing twice
  const where = title != null && title !== m.sender.displayName ? `${title} · ` : ''
  const state = m.fromMe ? ` (${m.state}${m.receipts != null ? `, read by ${m.receipts.read} of ${m.receipts.of}` : ''})` : ''
  if (m.kind === 'system') return `${when}  ${where}* ${oneLine(m.text)}`
  // issue 11 part 4: routine says nothing; FLASH and IMMEDIATE lead the line, as on a signal form
  const grade = m.precedence === 'flash' ? '[FLASH] ' : m.precedence === 'immediate' ? '[IMMEDIATE] ' : ''
  if (m.kind === 'file' && m.attachment != null) return `${when}  ${where}${who}: ${grade}${fileLine(m, m.attachment)}${state}`
  // issue 16: directive, reply, edited, deleted
  const mark = m.directive != null ? `[directive${m.directive.deadline != null ? `, due ${new Date(m.directive.deadline).toISOString().slice(0, 16).replace('T', ' ')}` : ''}${m.directive.acknowledgedAt != null ? ', acknowledged' : ''}] ` : ''
  const quote = m.replyTo != null ? `[re ${m.replyTo.sender !== '' ? m.replyTo.sender + ': ' : ''}"${oneLine(Array.from(m.replyTo.text).slice(0, 40).join(''))}"] ` : ''
  const text = m.deletedAt != null ? '(deleted)' : `${oneLine(m.text)}${m.editedAt != null ? ' (edited)' : ''}`
  return `${when}  ${where}${who}: ${grade}${mark}${quote}${text}${state}`
}

/** "[file survey.pdf, 2.1 MB, application/pdf] 3fa2b1c4d5e6": the id prefix is what `dak download` takes. */
function fileLine (m: ChatMessage, a: Attachment): string {
  const what = a.mediaType.startsWith('audio/') && a.durationMs != null ? `voice note ${Math.round(a.durationMs / 1000)} s` : 'file'
  return `[${what} ${oneLine(a.name)}, ${formatSize(a.size)}, ${a.mediaType}]${/^[0-9a-f]{64}$/.test(m.id) ? ` ${m.id.slice(0, 12)}` : ''}`
}

export function statusLine (s: ConnectionStatus): string {
  return `${s.mode}: ${s.departmentNodes} department node(s), ${s.peers} peer(s), ${s.queued} queued`
}

/** "Budget cell: history from your device 4241a96ec458: part 2 of 5, 412 of 1,130 messages added". */
export function historyLine (t: HistoryTransferStatus, title: string): string {
  const progress = t.parts != null ? `part ${t.received} of ${t.parts}` : 'asked'
  return `${title}: history from your device ${t.device.slice(0, 12)}: ${progress}, ${t.messagesAdded} message(s) added${t.complete ? ' (complete)' : ''}`
}

/** Keep one record per line, whatever the sender typed. */
function oneLine (text: string): string {
  return text.replace(/\r?\n/g, ' ⏎ ')
}
