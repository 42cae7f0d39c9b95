/** The conversation list, loaded once and then kept current from messenger events. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { ConversationSummary, Messenger } from '../messenger.js'
import { noteMessage, showsAwaitedDevice, sortConversations, upsertConversation } from './conversations.js'

export interface Conversations {
  /** null until the first load finishes. */
  list: ConversationSummary[] | null
  /** Reloads everything; used after changes the events may not cover (leaving a group). */
  refresh: () => void
  /** Shows a conversation the messenger just returned, without waiting for its event. */
  upsert: (conversation: ConversationSummary) => void
}

export function useConversations (messenger: Messenger, reportError: (err: unknown) => void): Conversations {
  const [list, setList] = useState<ConversationSummary[] | null>(null)
  // Event handlers read the latest list without resubscribing on every change.
  const latest = useRef(list)
  latest.current = list

  const refresh = useCallback(() => {
    messenger.conversations().then(all => { setList(sortConversations(all)) }, reportError)
  }, [messenger, reportError])

  const upsert = useCallback((conversation: ConversationSummary) => {
    setList(current => upsertConversation(current ?? [], conversation))
  }, [])

  useEffect(() => {
    // Subscribe before loading so nothing that happens during the load is missed.
    const offConversation = messenger.on('conversation', upsert)
    const offMessage = messenger.on('message', message => {
      setList(current => current === null ? null : noteMessage(current, message))
      if (!message.fromMe && showsAwaitedDevice(latest.current, message.conversationId, { from: message.sender.handle })) refresh()
    })
    // "Waiting for Bala's device" must go once his device is in: a receipt from it says so.
    const offState = messenger.on('message-state', ({ conversationId, state }) => {
      if (showsAwaitedDevice(latest.current, conversationId, { state })) refresh()
    })
    // Closed for this device (left, removed, revoked): the summary now says so and why.
    const offRemoved = messenger.on('conversation-removed', refresh)
    refresh()
    return () => { offConversation(); offMessage(); offState(); offRemoved() }
  }, [messenger, refresh, upsert])

  return useMemo(() => ({ list, refresh, upsert }), [list, refresh, upsert])
}
