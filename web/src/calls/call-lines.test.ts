import { describe, expect, it } from 'vitest'
import { callLine, formatDuration } from './call-lines.js'

describe('call lines', () => {
  it('says what happened to each call, in plain words', () => {
    expect(callLine(true, true, 'Ravi Kumar', { how: 'talked', durationMs: 151_000 })).toEqual({ text: 'Outgoing video call · 2:31', missed: false })
    expect(callLine(false, false, 'Ravi Kumar', { how: 'talked', durationMs: 4_000 })).toEqual({ text: 'Incoming voice call · 0:04', missed: false })
    expect(callLine(true, false, 'Asha Rao', { how: 'missed' })).toEqual({ text: 'Missed video call from Asha Rao', missed: true })
    expect(callLine(false, true, 'Asha Rao', { how: 'declined', by: 'Asha Rao' }).text).toBe('Voice call · declined by Asha Rao')
    expect(callLine(false, true, 'Asha Rao', { how: 'no-answer' }).text).toBe('Voice call · no answer')
    expect(callLine(true, false, 'Asha Rao', { how: 'answered-elsewhere' })).toEqual({ text: 'Video call from Asha Rao · answered on another device', missed: false })
    expect(callLine(false, false, 'Asha Rao', { how: 'declined-elsewhere' }).text).toBe('Voice call from Asha Rao · declined on another device')
  })

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(59_600)).toBe('1:00')
    expect(formatDuration(3_723_000)).toBe('1:02:03')
  })
})
