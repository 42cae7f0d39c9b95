import { describe, expect, it } from 'vitest'
import type { ConversationSummary, OfficerSummary } from '../messenger/api.js'
import { conversationLine } from './format.js'

const asha: OfficerSummary = { handle: 'asha', displayName: 'Asha Rao', title: '', department: '', deviceKey: 'aa'.repeat(32) }
const bala: OfficerSummary = { handle: 'bala', displayName: 'Bala Iyer', title: '', department: '', deviceKey: 'bb'.repeat(32) }
const chat: ConversationSummary = { id: 'dak/c/01', kind: 'direct', title: 'Bala Iyer', members: [asha, bala], admins: ['asha'], unread: 0, state: 'active', waitingFor: [], missing: [] }

describe('a conversation line (dak conversations, dak listen)', () => {
  it('says what is missing, per officer', () => {
    const line = conversationLine({ ...chat, missing: [{ sender: bala, count: 1, text: '1 message from Bala Iyer is missing' }] })
    expect(line).toContain('[1 message from Bala Iyer is missing]')
    expect(conversationLine(chat)).not.toContain('missing')
  })

  it('says a direct chat closed because the other officer\'s access was withdrawn', () => {
    const line = conversationLine({ ...chat, members: [asha], state: 'closed', closed: { reason: 'other-revoked', by: bala, at: 1 } })
    expect(line).toContain('[closed: Bala Iyer\'s access was withdrawn]')
  })
})
