import { describe, expect, it } from 'vitest'
import type { ChatMessage, ConversationSummary, OfficerSummary } from '../messenger/api.js'
import { conversationLine, messageLine } from './format.js'

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

describe('a message line (dak history, dak listen): precedence', () => {
  const message: ChatMessage = { id: 'ab'.repeat(32), conversationId: 'dak/c/01', sender: bala, fromMe: false, kind: 'text', text: 'Road to camp 4 flooded', sentAt: Date.UTC(2026, 0, 5, 9, 30), state: 'received' }

  it('leads a flash or immediate message with its grade, and says nothing for routine', () => {
    expect(messageLine({ ...message, precedence: 'flash' })).toBe('2026-01-05 09:30:00  Bala Iyer: [FLASH] Road to camp 4 flooded')
    expect(messageLine({ ...message, precedence: 'immediate', fromMe: true, state: 'stored' })).toBe('2026-01-05 09:30:00  you: [IMMEDIATE] Road to camp 4 flooded (stored)')
    expect(messageLine(message)).toBe('2026-01-05 09:30:00  Bala Iyer: Road to camp 4 flooded')
  })
})
