/**
 * The messages of the open chat: the newest history page, older pages on
 * request, and live updates from 'message', 'message-state',
 * 'messages-expired' (disappearing messages) and 'history-transfer' (earlier
 * messages from another device of the officer) events.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { HISTORY_PAGE_SIZE } from '../constants.js'
import type { ChatMessage, Messenger } from '../messenger.js'
import { applyStateChange, dropMessages, mergeMessages, replaceNewest } from './timeline.js'

export interface Timeline {
  messages: ChatMessage[]
  /** False until the first page has arrived. */
  loaded: boolean
  hasOlder: boolean
  loadingOlder: boolean
  loadOlder: () => void
  /** Shows a message send() just returned (queued), before any event about it. */
  addSent: (message: ChatMessage) => void
}

export function useTimeline (messenger: Messenger, conversationId: string, reportError: (err: unknown) => void): Timeline {
  const [messages, setMessages] = useState<ChatMessage[]>([])
  const [loaded, setLoaded] = useState(false)
  const [before, setBefore] = useState<string | undefined>(undefined)
  const [loadingOlder, setLoadingOlder] = useState(false)
  // Event handlers need to know synchronously whether a message is on screen.
  const current = useRef<ChatMessage[]>([])

  const update = useCallback((change: (messages: ChatMessage[]) => ChatMessage[]) => {
    current.current = change(current.current)
    setMessages(current.current)
  }, [])

  useEffect(() => {
    let open = true
    update(() => [])
    setLoaded(false)
    setBefore(undefined)

    // A queued message has a local id that becomes its envelope hash once
    // sealed; when an event names an id we do not hold, the newest page is
    // reloaded to replace the local copy. Reloads are coalesced.
    let reloading = false
    let reloadAgain = false
    const reloadNewest = async (): Promise<void> => {
      if (reloading) { reloadAgain = true; return }
      reloading = true
      try {
        do {
          reloadAgain = false
          const page = await messenger.history(conversationId, { limit: HISTORY_PAGE_SIZE })
          if (!open) return
          update(messages => replaceNewest(messages, page.messages))
        } while (reloadAgain)
      } finally {
        reloading = false
      }
    }

    const offMessage = messenger.on('message', message => {
      if (message.conversationId !== conversationId) return
      const known = current.current.some(m => m.id === message.id)
      update(messages => mergeMessages(messages, [message]))
      if (!known && message.fromMe) reloadNewest().catch(reportError)
    })
    const offState = messenger.on('message-state', ({ conversationId: id, id: messageId, state }) => {
      if (id !== conversationId) return
      const result = applyStateChange(current.current, messageId, state)
      if (result.found) update(() => result.messages)
      else reloadNewest().catch(reportError)
    })

    // issue 16: edited, deleted, acknowledged, new per-member reads
    const offChanged = messenger.on('message-changed', message => {
      if (message.conversationId !== conversationId) return
      if (current.current.some(m => m.id === message.id)) update(messages => mergeMessages(messages, [message]))
    })
    // disappearing messages: deleted at their expiry on this device, so off the screen too
    const offExpired = messenger.on('messages-expired', ({ conversationId: id, ids }) => {
      if (id === conversationId) update(messages => dropMessages(messages, ids))
    })

    // linked devices: a part of the history from another device of the officer landed, older than what is shown
    const offHistory = messenger.on('history-transfer', ({ conversationId: id }) => {
      if (id !== conversationId) return
      messenger.history(conversationId, { limit: HISTORY_PAGE_SIZE }).then(page => {
        if (!open) return
        update(messages => mergeMessages(page.messages, messages))
        setBefore(page.before)
      }, reportError)
    })

    messenger.history(conversationId, { limit: HISTORY_PAGE_SIZE }).then(page => {
      if (!open) return
      // Merge, not replace: events may have arrived while the page loaded.
      update(messages => mergeMessages(page.messages, messages))
      setBefore(page.before)
      setLoaded(true)
    }, err => {
      if (!open) return
      setLoaded(true)
      reportError(err)
    })

    return () => { open = false; offMessage(); offState(); offChanged(); offExpired(); offHistory() }
  }, [messenger, conversationId, reportError, update])

  const loadOlder = useCallback(() => {
    if (before === undefined || loadingOlder) return
    setLoadingOlder(true)
    messenger.history(conversationId, { before, limit: HISTORY_PAGE_SIZE }).then(page => {
      update(messages => mergeMessages(page.messages, messages))
      setBefore(page.before)
    }, reportError).finally(() => { setLoadingOlder(false) })
  }, [messenger, conversationId, before, loadingOlder, reportError, update])

  const addSent = useCallback((message: ChatMessage) => {
    update(messages => mergeMessages(messages, [message]))
  }, [update])

  return { messages, loaded, hasOlder: before !== undefined, loadingOlder, loadOlder, addSent }
}
