import { describe, expect, it } from 'vitest'
import type { ConversationSummary } from '../messenger.js'
import { conversation, message, officer } from './fixtures.js'
import {
  closedText, conversationSubtitle, conversationTitle, directPeer, isClosed, isDirectAddLine, missingNotes, shownLastMessage, visibleMessages,
  waitingNote, waitingText
} from './conversation-view.js'

const ravi = officer('ravi', { displayName: 'Ravi Kumar', title: 'Section Officer', department: 'Finance' })
const bala = officer('bala', { displayName: 'Bala Rao', title: 'Under Secretary', department: 'Finance' })
const chandra = officer('chandra', { displayName: 'Chandra Das' })

/** A direct chat Ravi just started with Bala, whose device has not joined. */
function newDirect (extra: Partial<ConversationSummary> = {}): ConversationSummary {
  return conversation('d1', undefined, { kind: 'direct', title: 'New conversation', members: [ravi], admins: ['ravi'], waitingFor: [bala], ...extra })
}

describe('a new direct chat, before the other officer\'s device joins', () => {
  it('is titled by the other officer and says it waits for their device', () => {
    const chat = newDirect()
    expect(directPeer(chat, ravi)).toBe(bala)
    expect(conversationTitle(chat, ravi)).toBe('Bala Rao')
    expect(waitingText(chat, ravi)).toBe('Waiting for Bala Rao’s device')
    expect(conversationSubtitle(chat, ravi)).toBe('Waiting for Bala Rao’s device')
    expect(waitingNote(chat, ravi)).toMatch(/^Bala Rao’s device has not joined this chat yet\. You can write now/)
  })

  it('reads normally once the device joined', () => {
    const chat = newDirect({ members: [ravi, bala], waitingFor: [] })
    expect(conversationTitle(chat, ravi)).toBe('Bala Rao')
    expect(waitingText(chat, ravi)).toBeNull()
    expect(waitingNote(chat, ravi)).toBeNull()
    expect(conversationSubtitle(chat, ravi)).toBe('Under Secretary, Finance')
  })

  it('copes with a summary from an engine without waitingFor', () => {
    const old = { ...newDirect(), waitingFor: undefined } as unknown as ConversationSummary
    expect(conversationTitle(old, ravi)).toBe('New conversation')
    expect(waitingText(old, ravi)).toBeNull()
    expect(conversationSubtitle(old, ravi)).toBe('1 member')
  })
})

describe('groups', () => {
  it('keep their own title and name who they wait for', () => {
    const group = conversation('g', undefined, { title: 'Budget cell', members: [ravi], waitingFor: [bala, chandra] })
    expect(conversationTitle(group, ravi)).toBe('Budget cell')
    expect(waitingText(group, ravi)).toBe('Waiting for the devices of Bala Rao and Chandra Das')
    expect(waitingText({ ...group, waitingFor: [bala, chandra, officer('d')] }, ravi)).toBe('Waiting for the devices of 3 officers')
    expect(conversationSubtitle({ ...group, members: [ravi, bala], waitingFor: [] }, ravi)).toBe('2 members')
  })
})

describe('missing messages', () => {
  it('are one line per officer, and none from an engine without gap detection', () => {
    const asha = officer('asha', { displayName: 'Asha Rao' })
    expect(missingNotes(conversation('g', undefined, { missing: [{ sender: asha, count: 1, text: '1 message from Asha Rao is missing' }] }))).toEqual(['1 message from Asha Rao is missing'])
    expect(missingNotes(conversation('g'))).toEqual([])
    expect(missingNotes({ ...conversation('g'), missing: undefined } as unknown as ConversationSummary)).toEqual([])
  })
})

describe('closed conversations', () => {
  it('say who removed this officer', () => {
    const removed = conversation('g', undefined, { state: 'closed', closed: { reason: 'removed', by: officer('asha', { displayName: 'Asha Rao' }), at: 5 } })
    expect(isClosed(removed)).toBe(true)
    expect(closedText(removed)).toMatch(/^You were removed by Asha Rao\./)
    expect(conversationSubtitle(removed, ravi)).toBe('You were removed')
  })

  it('say the officer left, or the device was withdrawn', () => {
    expect(closedText(conversation('g', undefined, { state: 'closed', closed: { reason: 'left', at: 5 } }))).toMatch(/^You left this conversation\./)
    expect(closedText(conversation('g', undefined, { state: 'closed', closed: { reason: 'revoked', at: 5 } }))).toMatch(/^This device’s access was withdrawn by your department\./)
    expect(closedText(conversation('g', undefined, { state: 'closed', closed: { reason: 'removed', at: 5 } }))).toMatch(/^You were removed from this conversation\./)
  })

  it('say the other officer of a direct chat is gone', () => {
    const bala = officer('bala', { displayName: 'Bala Iyer' })
    expect(closedText(conversation('d', undefined, { state: 'closed', closed: { reason: 'other-revoked', by: bala, at: 5 } }))).toMatch(/^Bala Iyer’s access was withdrawn; this chat is closed\./)
    expect(closedText(conversation('d', undefined, { state: 'closed', closed: { reason: 'other-left', by: bala, at: 5 } }))).toMatch(/^Bala Iyer left; this chat is closed\./)
  })

  it('do not wait for anyone', () => {
    expect(waitingText(newDirect({ state: 'closed', closed: { reason: 'left', at: 1 } }), ravi)).toBeNull()
  })

  it('an active conversation is not closed, nor one from an engine without state', () => {
    expect(isClosed(newDirect())).toBe(false)
    expect(isClosed({ ...newDirect(), state: undefined } as unknown as ConversationSummary)).toBe(false)
  })
})

describe('the "X added Y" line of a direct chat', () => {
  const chat = newDirect({ lastMessage: { text: 'Ravi Kumar added Bala Rao', sentAt: 3, fromMe: true } })

  it('is recognised between the two officers only', () => {
    expect(isDirectAddLine(chat, ravi, 'Ravi Kumar added Bala Rao')).toBe(true)
    expect(isDirectAddLine(chat, ravi, 'Bala Rao added Ravi Kumar')).toBe(true)
    expect(isDirectAddLine(chat, ravi, 'Ravi Kumar added Chandra Das')).toBe(false)
    expect(isDirectAddLine(chat, ravi, 'Ravi Kumar added Bala Rao to the file')).toBe(false)
    expect(isDirectAddLine({ ...chat, kind: 'group' }, ravi, 'Ravi Kumar added Bala Rao')).toBe(false)
  })

  it('is left out of the chat, but a text message with the same words is not', () => {
    const line = message('s', 1, 'stored', { kind: 'system', text: 'Ravi Kumar added Bala Rao' })
    const typed = message('t', 2, 'sent', { text: 'Ravi Kumar added Bala Rao' })
    expect(visibleMessages(chat, ravi, [line, typed])).toEqual([typed])
    const inGroup = [line, typed]
    expect(visibleMessages({ ...chat, kind: 'group' }, ravi, inGroup)).toBe(inGroup)
  })

  it('is not shown as the chat\'s last message', () => {
    expect(shownLastMessage(chat, ravi)).toBeUndefined()
    const hello = { text: 'Hello', sentAt: 4, fromMe: true }
    expect(shownLastMessage({ ...chat, lastMessage: hello }, ravi)).toBe(hello)
  })
})
