import { describe, expect, it } from 'vitest'
import { conversation, message, officer } from './fixtures.js'
import { isAdmin, noteMessage, showsAwaitedDevice, sortConversations, upsertConversation } from './conversations.js'

describe('sortConversations', () => {
  it('puts the most recent activity first and empty conversations last', () => {
    const sorted = sortConversations([conversation('empty'), conversation('old', 1), conversation('new', 9)])
    expect(sorted.map(c => c.id)).toEqual(['new', 'old', 'empty'])
  })
})

describe('upsertConversation', () => {
  it('replaces an existing conversation instead of adding a second one', () => {
    const list = [conversation('a', 1), conversation('b', 2)]
    const updated = upsertConversation(list, conversation('a', 3, { unread: 4 }))
    expect(updated.map(c => [c.id, c.unread])).toEqual([['a', 4], ['b', 0]])
  })
})

describe('noteMessage', () => {
  it('counts a new incoming text as unread, the first one as where unread starts (issue 16)', () => {
    const list = [conversation('c1', 1)]
    const first = noteMessage(list, message('m1', 7, 'received', { fromMe: false }))
    expect(first[0]).toMatchObject({ unread: 1, firstUnread: 'm1' })
    const second = noteMessage(first, message('m2', 8, 'received', { fromMe: false }))
    expect(second[0]).toMatchObject({ unread: 2, firstUnread: 'm1' })
    expect(noteMessage(second, message('m3', 9, 'queued'))[0]).toMatchObject({ unread: 2, firstUnread: 'm1' })
  })

  it('moves the preview forward for a newer message', () => {
    const list = [conversation('c0', 5), conversation('c1', 1)]
    const updated = noteMessage(list, message('m', 7, 'queued', { text: 'hello' }))
    expect(updated[0]?.id).toBe('c1')
    expect(updated[0]?.lastMessage).toEqual({ text: 'hello', sentAt: 7, fromMe: true })
  })

  it('ignores older messages (history loading) and unknown conversations', () => {
    const list = [conversation('c1', 10)]
    expect(noteMessage(list, message('m', 3))).toBe(list)
    expect(noteMessage(list, message('m', 30, 'sent', { conversationId: 'elsewhere' }))).toBe(list)
  })
})

describe('isAdmin', () => {
  it('checks the handle against the admins list', () => {
    const group = conversation('g', undefined, { admins: ['asha'] })
    expect(isAdmin(group, 'asha')).toBe(true)
    expect(isAdmin(group, 'ravi')).toBe(false)
  })
})

describe('showsAwaitedDevice', () => {
  const list = [conversation('waiting', undefined, { waitingFor: [officer('bala')] }), conversation('joined')]

  it('sees a receipt, or a message from the officer awaited, in a conversation that waits', () => {
    expect(showsAwaitedDevice(list, 'waiting', { state: 'delivered' })).toBe(true)
    expect(showsAwaitedDevice(list, 'waiting', { state: 'read' })).toBe(true)
    expect(showsAwaitedDevice(list, 'waiting', { from: 'bala' })).toBe(true)
  })

  it('ignores everything else', () => {
    expect(showsAwaitedDevice(list, 'waiting', { state: 'stored' })).toBe(false)
    expect(showsAwaitedDevice(list, 'waiting', { from: 'chandra' })).toBe(false)
    expect(showsAwaitedDevice(list, 'joined', { state: 'delivered' })).toBe(false)
    expect(showsAwaitedDevice(list, 'elsewhere', { state: 'delivered' })).toBe(false)
    expect(showsAwaitedDevice(null, 'waiting', { state: 'delivered' })).toBe(false)
  })
})
