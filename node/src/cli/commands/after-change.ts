import type { ConversationSummary } from '../../messenger/api.js'
import type { Output } from '../output.js'
import type { Session } from '../session.js'

/** Say (on stderr) that work is left in the outbox, and how it will get done. */
export function reportPending (out: Output, pending: number): void {
  if (pending > 0) out.note(`${pending} outbox entr${pending === 1 ? 'y is' : 'ies are'} still waiting for the network: the next dak command or \`dak listen\` delivers ${pending === 1 ? 'it' : 'them'}`)
}

/** A conversation's summary as stored now (createGroup/startDirect answer before the members are added). */
export async function freshSummary (session: Session, created: ConversationSummary): Promise<ConversationSummary> {
  return (await session.messenger.conversations()).find(c => c.id === created.id) ?? created
}
