import { describe, expect, it } from 'vitest'
import { EditRefusedError, MAX_CLOCK_SKEW_MS } from '@dak/protocol'
import type { StoredMessage } from '../storage/index.js'
import { checkAmendable } from './amend.js'
import { reminderTime, REMINDER_LEAD_MS } from './directive-reminders.js'

const T = 1_750_000_000_000
const WINDOW = 15 * 60_000
const asha = { handle: 'asha', displayName: 'Asha Rao', title: 'US', department: 'mof.budget', deviceKey: 'aa'.repeat(32) }
const message: StoredMessage = { id: 'ab'.repeat(32), conversationId: 'c', sender: asha, fromMe: false, kind: 'text', text: 'hello', sentAt: T, state: 'received' }

describe('who may edit or delete a message, and when (what every receiver checks)', () => {
  it('its sender, within the window', () => {
    expect(() => { checkAmendable(message, asha, T + WINDOW, WINDOW) }).not.toThrow()
    // another device of the same officer (linked devices) counts as the sender
    expect(() => { checkAmendable(message, { handle: 'asha', department: 'mof.budget' }, T + 1, WINDOW) }).not.toThrow()
  })

  it('refuses anyone else, a late change, a change dated before the message, and any change to a directive', () => {
    expect(() => { checkAmendable(message, { handle: 'bala', department: 'mof.budget' }, T + 1, WINDOW) }).toThrow(EditRefusedError)
    expect(() => { checkAmendable(message, { handle: 'asha', department: 'moh' }, T + 1, WINDOW) }).toThrow(EditRefusedError)
    expect(() => { checkAmendable(message, asha, T + WINDOW + 1, WINDOW) }).toThrow(/15 minutes/)
    expect(() => { checkAmendable(message, asha, T - MAX_CLOCK_SKEW_MS - 1, WINDOW) }).toThrow(EditRefusedError)
    expect(() => { checkAmendable({ ...message, directive: { issuedAt: T } }, asha, T + 1, WINDOW) }).toThrow(/signed evidence/)
    expect(() => { checkAmendable(message, asha, T + 1, 0) }).toThrow(EditRefusedError)
  })
})

describe('directive reminders', () => {
  it('come an hour before the deadline, or a quarter of the time given when that is shorter', () => {
    expect(reminderTime(T, T + 10 * REMINDER_LEAD_MS)).toBe(T + 9 * REMINDER_LEAD_MS)
    expect(reminderTime(T, T + 40 * 60_000)).toBe(T + 30 * 60_000)
  })
})
