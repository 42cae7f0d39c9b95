import { describe, expect, it } from 'vitest'
import { message } from './fixtures.js'
import { applyStateChange, dropMessages, furthestState, mergeMessages, replaceNewest } from './timeline.js'

describe('furthestState', () => {
  it('never moves an outgoing message backwards', () => {
    expect(furthestState('delivered', 'stored')).toBe('delivered')
    expect(furthestState('queued', 'sent')).toBe('sent')
    expect(furthestState('received', 'read')).toBe('read')
  })
})

describe('mergeMessages', () => {
  it('orders by send time and drops duplicates', () => {
    const merged = mergeMessages([message('b', 2), message('c', 3)], [message('a', 1), message('b', 2)])
    expect(merged.map(m => m.id)).toEqual(['a', 'b', 'c'])
  })

  it('keeps the furthest state when the same message is seen twice', () => {
    const merged = mergeMessages([message('a', 1, 'delivered')], [message('a', 1, 'sent')])
    expect(merged[0]?.state).toBe('delivered')
  })

  it('keeps arrival order for messages sent in the same millisecond', () => {
    expect(mergeMessages([message('x', 5)], [message('y', 5)]).map(m => m.id)).toEqual(['x', 'y'])
  })
})

describe('applyStateChange', () => {
  it('updates a message in place and reports it was found', () => {
    const before = [message('a', 1, 'sent'), message('b', 2, 'sent')]
    const { messages, found } = applyStateChange(before, 'b', 'stored')
    expect(found).toBe(true)
    expect(messages.map(m => m.state)).toEqual(['sent', 'stored'])
    expect(before[1]?.state).toBe('sent') // the previous render's array is not mutated
  })

  it('ignores a late, older state', () => {
    const before = [message('a', 1, 'read')]
    expect(applyStateChange(before, 'a', 'delivered').messages).toBe(before)
  })

  it('reports an unknown id so the caller can reload', () => {
    expect(applyStateChange([message('a', 1)], 'sealed-id', 'sent').found).toBe(false)
  })
})

describe('replaceNewest', () => {
  it('replaces a queued local copy with the sealed message from history', () => {
    const onScreen = [message('old', 1), message('local-1', 10, 'queued')]
    const newest = [message('h-5', 5), message('sealed-1', 10, 'sent')]
    expect(replaceNewest(onScreen, newest).map(m => m.id)).toEqual(['old', 'h-5', 'sealed-1'])
  })

  it('empties the timeline when history has no messages', () => {
    expect(replaceNewest([message('local', 1, 'queued')], [])).toEqual([])
  })
})

describe('dropMessages', () => {
  it('removes exactly the expired messages and keeps the rest in order', () => {
    const list = [message('a', 1), message('b', 2), message('c', 3)]
    expect(dropMessages(list, ['b', 'zzz']).map(m => m.id)).toEqual(['a', 'c'])
    expect(dropMessages(list, ['zzz'])).toBe(list)
  })
})
