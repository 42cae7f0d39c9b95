/**
 * Pure text for the UI: times, message states, connection status, badges.
 * Kept free of the DOM and of the current time (callers pass `now`) so the
 * wording is unit-tested and the same everywhere it appears.
 */
import type { ConnectionStatus, MessageState } from './messenger.js'

/** Locale and time zone, injectable so tests do not depend on the machine. */
export interface TimeOptions {
  locale?: string
  timeZone?: string
}

const DAY_MS = 86_400_000

/** Short label shown next to the state icon on every message. */
const STATE_LABELS: Record<MessageState, string> = {
  queued: 'Queued',
  sent: 'Sent',
  stored: 'Stored',
  delivered: 'Delivered',
  read: 'Read',
  received: 'Received'
}

/** Longer explanation (tooltip and screen readers): officers need to know where a message is. */
const STATE_DESCRIPTIONS: Record<MessageState, string> = {
  queued: 'Saved on this device; it will be sent when a connection is available',
  sent: 'Sent to at least one peer',
  stored: 'Stored by a department node for the recipients',
  delivered: 'Delivered to the recipient',
  read: 'Read by the recipient',
  received: 'Received'
}

export function stateLabel (state: MessageState): string {
  return STATE_LABELS[state]
}

export function stateDescription (state: MessageState): string {
  return STATE_DESCRIPTIONS[state]
}

/** Days since the Unix epoch for the calendar date of `ms` in the given time zone. */
function calendarDay (ms: number, options: TimeOptions): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: options.timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric'
  }).formatToParts(ms)
  const part = (type: string): number => Number(parts.find(p => p.type === type)?.value)
  // Date.UTC of the local calendar date: differences are whole days, even across DST changes.
  return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS
}

/** Whole calendar days from `ms` to `now` (0 = same day, 1 = yesterday). */
export function daysAgo (ms: number, now: number, options: TimeOptions = {}): number {
  return calendarDay(now, options) - calendarDay(ms, options)
}

/** Time of day, e.g. "14:05" or "2:05 PM" depending on the locale. */
export function formatTime (ms: number, options: TimeOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, { timeStyle: 'short', timeZone: options.timeZone }).format(ms)
}

/** Full date and time, for a `title`/`datetime` where space is not short. */
export function formatDateTime (ms: number, options: TimeOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: options.timeZone }).format(ms)
}

/** Conversation list: the time today, the weekday this week, else the date. */
export function formatListTime (ms: number, now: number, options: TimeOptions = {}): string {
  const days = daysAgo(ms, now, options)
  if (days <= 0) return formatTime(ms, options)
  if (days === 1) return 'Yesterday'
  if (days < 7) return new Intl.DateTimeFormat(options.locale, { weekday: 'short', timeZone: options.timeZone }).format(ms)
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'short', timeZone: options.timeZone }).format(ms)
}

/** Separator between days in a chat. */
export function formatDayHeading (ms: number, now: number, options: TimeOptions = {}): string {
  const days = daysAgo(ms, now, options)
  if (days <= 0) return 'Today'
  if (days === 1) return 'Yesterday'
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'full', timeZone: options.timeZone }).format(ms)
}

/** How this device reaches others, in words, with what is still waiting to go out. */
export function statusSummary (status: ConnectionStatus): string {
  let text: string
  switch (status.mode) {
    case 'department':
      text = 'Online through the department node'
      break
    case 'peer-to-peer':
      text = `Peer-to-peer only (${plural(status.peers, 'peer')})`
      break
    case 'offline':
      text = 'Offline'
      break
  }
  if (status.queued > 0) text += ` · ${plural(status.queued, 'message')} queued`
  return text
}

/** Unread badge: a compact number for the eye, a sentence for screen readers. */
export function unreadBadge (count: number): { text: string, label: string } | null {
  if (count <= 0) return null
  return { text: count > 99 ? '99+' : String(count), label: `${plural(count, 'unread message')}` }
}

/**
 * The 60-digit safety number as twelve groups of five, whatever spacing the
 * messenger used, so both officers read it out in the same chunks.
 */
export function safetyNumberGroups (digits: string): string[] {
  const clean = digits.replace(/\D/g, '')
  const groups: string[] = []
  for (let i = 0; i < clean.length; i += 5) groups.push(clean.slice(i, i + 5))
  return groups
}

/** Last-message preview in the conversation list. */
export function previewText (last: { text: string, fromMe: boolean } | undefined): string {
  if (last === undefined) return 'No messages yet'
  return last.fromMe ? `You: ${last.text}` : last.text
}

export function plural (n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/** A device key as officers compare it: its first 12 hex digits in groups of four (as the engine's lines show it). */
export function shortDeviceKey (deviceKey: string): string {
  return deviceKey.slice(0, 12).match(/.{4}/g)?.join(' ') ?? deviceKey
}
