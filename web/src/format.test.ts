import { describe, expect, it } from 'vitest'
import { daysAgo, formatDayHeading, formatListTime, formatTime, plural, previewText, safetyNumberGroups, stateDescription, stateLabel, statusSummary, unreadBadge } from './format.js'

// Fixed zone and locale so the results do not depend on the machine running the tests.
const utc = { locale: 'en-GB', timeZone: 'UTC' }
const at = (iso: string): number => Date.parse(iso)

describe('message states', () => {
  it('labels every outgoing state in words', () => {
    expect(['queued', 'sent', 'stored', 'delivered', 'read'].map(s => stateLabel(s as 'queued')))
      .toEqual(['Queued', 'Sent', 'Stored', 'Delivered', 'Read'])
  })

  it('tells the officer a queued message is safe on this device', () => {
    expect(stateDescription('queued')).toMatch(/saved on this device/i)
    expect(stateDescription('stored')).toMatch(/department node/)
  })
})

describe('times', () => {
  it('formats the time of day in the given zone', () => {
    expect(formatTime(at('2025-03-04T14:05:00Z'), utc)).toBe('14:05')
    expect(formatTime(at('2025-03-04T14:05:00Z'), { locale: 'en-GB', timeZone: 'Asia/Kolkata' })).toBe('19:35')
  })

  it('counts calendar days, not 24-hour periods', () => {
    const now = at('2025-03-04T00:30:00Z')
    expect(daysAgo(at('2025-03-03T23:50:00Z'), now, utc)).toBe(1)
    expect(daysAgo(at('2025-03-04T00:10:00Z'), now, utc)).toBe(0)
    // The same instants are the same day in New York (UTC-5).
    expect(daysAgo(at('2025-03-03T23:50:00Z'), now, { timeZone: 'America/New_York' })).toBe(0)
  })

  it('counts whole days across a daylight-saving change', () => {
    // Europe/Berlin moved its clocks forward on 30 March 2025.
    const berlin = { timeZone: 'Europe/Berlin' }
    expect(daysAgo(at('2025-03-29T12:00:00Z'), at('2025-03-31T12:00:00Z'), berlin)).toBe(2)
  })

  it('shows list times as time today, "Yesterday", weekday, then date', () => {
    const now = at('2025-03-12T10:00:00Z') // a Wednesday
    expect(formatListTime(at('2025-03-12T08:15:00Z'), now, utc)).toBe('08:15')
    expect(formatListTime(at('2025-03-11T22:00:00Z'), now, utc)).toBe('Yesterday')
    expect(formatListTime(at('2025-03-08T09:00:00Z'), now, utc)).toBe('Sat')
    expect(formatListTime(at('2025-02-01T09:00:00Z'), now, utc)).toBe('01/02/2025')
  })

  it('heads each day of a chat', () => {
    const now = at('2025-03-12T10:00:00Z')
    expect(formatDayHeading(at('2025-03-12T01:00:00Z'), now, utc)).toBe('Today')
    expect(formatDayHeading(at('2025-03-11T01:00:00Z'), now, utc)).toBe('Yesterday')
    // Older days get the full date; the exact punctuation varies between ICU versions.
    expect(formatDayHeading(at('2025-03-01T01:00:00Z'), now, utc)).toMatch(/^Saturday,? 1 March 2025$/)
  })
})

describe('connection status', () => {
  it('says how messages travel and how many wait', () => {
    expect(statusSummary({ mode: 'department', departmentNodes: 1, peers: 3, queued: 0, certificate: 'valid' }))
      .toBe('Online through the department node')
    expect(statusSummary({ mode: 'peer-to-peer', departmentNodes: 0, peers: 1, queued: 2, certificate: 'valid' }))
      .toBe('Peer-to-peer only (1 peer) · 2 messages queued')
    expect(statusSummary({ mode: 'offline', departmentNodes: 0, peers: 0, queued: 1, certificate: 'valid' }))
      .toBe('Offline · 1 message queued')
  })
})

describe('unread badge', () => {
  it('is absent with nothing unread and capped for the eye, not for screen readers', () => {
    expect(unreadBadge(0)).toBeNull()
    expect(unreadBadge(1)).toEqual({ text: '1', label: '1 unread message' })
    expect(unreadBadge(250)).toEqual({ text: '99+', label: '250 unread messages' })
  })
})

describe('safety number', () => {
  it('splits 60 digits into twelve groups of five whatever the spacing', () => {
    const digits = '123456789012345678901234567890123456789012345678901234567890'
    const spaced = digits.replace(/(\d{5})/g, '$1 ').trim()
    expect(safetyNumberGroups(digits)).toHaveLength(12)
    expect(safetyNumberGroups(spaced)).toEqual(safetyNumberGroups(digits))
    expect(safetyNumberGroups(spaced)[11]).toBe('67890')
  })
})

describe('preview and plurals', () => {
  it('marks our own last message', () => {
    expect(previewText({ text: 'On my way', fromMe: true })).toBe('You: On my way')
    expect(previewText({ text: 'On my way', fromMe: false })).toBe('On my way')
    expect(previewText(undefined)).toBe('No messages yet')
  })

  it('pluralises English nouns by count', () => {
    expect(plural(0, 'peer')).toBe('0 peers')
    expect(plural(1, 'peer')).toBe('1 peer')
  })
})
