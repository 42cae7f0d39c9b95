/**
 * The scrolling list of messages: day headings, older history when the
 * officer scrolls to the top (or presses the button, for keyboards and
 * screen readers), and following new messages only when already at the bottom.
 */
import { Fragment } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'
import { FOLLOW_BOTTOM_THRESHOLD_PX, LOAD_OLDER_THRESHOLD_PX } from '../constants.js'
import { daysAgo, formatDayHeading } from '../format.js'
import type { Timeline } from '../state/use-timeline.js'
import { MessageBubble } from './MessageBubble.js'

interface Props {
  timeline: Timeline
  isGroup: boolean
  label: string
}

export function MessageList ({ timeline, isGroup, label }: Props) {
  const { messages, loaded, hasOlder, loadingOlder, loadOlder } = timeline
  const scroller = useRef<HTMLDivElement>(null)
  // What the list looked like at the last render, to tell an older page
  // (prepended: keep the officer's place) from a new message (appended: follow it).
  const previous = useRef({ firstId: '', lastId: '', scrollHeight: 0, nearBottom: true })

  useLayoutEffect(() => {
    const el = scroller.current
    if (el === null) return
    const first = messages[0]?.id ?? ''
    const last = messages[messages.length - 1]
    const before = previous.current
    if (first !== before.firstId && before.firstId !== '' && (last?.id ?? '') === before.lastId) {
      el.scrollTop += el.scrollHeight - before.scrollHeight
    } else if (last !== undefined && last.id !== before.lastId && (before.nearBottom || last.fromMe)) {
      el.scrollTop = el.scrollHeight
    }
    previous.current = { firstId: first, lastId: last?.id ?? '', scrollHeight: el.scrollHeight, nearBottom: isNearBottom(el) }
  }, [messages])

  const onScroll = (): void => {
    const el = scroller.current
    if (el === null) return
    previous.current.nearBottom = isNearBottom(el)
    if (el.scrollTop < LOAD_OLDER_THRESHOLD_PX && hasOlder && !loadingOlder) loadOlder()
  }

  const now = Date.now()
  return (
    <div class="message-scroller" ref={scroller} onScroll={onScroll} tabIndex={0} role="log" aria-label={label}>
      {hasOlder && (
        <button type="button" class="load-older" data-testid="load-older-button" onClick={loadOlder} disabled={loadingOlder}>
          {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
        </button>
      )}
      {!loaded && <p class="muted pad" role="status">Loading messages…</p>}
      {loaded && messages.length === 0 && <p class="muted pad">No messages yet. Say hello.</p>}
      <ol class="messages">
        {messages.map((message, i) => {
          const prior = messages[i - 1]
          const newDay = prior === undefined || daysAgo(prior.sentAt, message.sentAt) !== 0
          return (
            <Fragment key={message.id}>
              {newDay && <li class="day-heading"><span>{formatDayHeading(message.sentAt, now)}</span></li>}
              <MessageBubble message={message} showSender={isGroup && prior?.sender.handle !== message.sender.handle} />
            </Fragment>
          )
        })}
      </ol>
    </div>
  )
}

function isNearBottom (el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_BOTTOM_THRESHOLD_PX
}
