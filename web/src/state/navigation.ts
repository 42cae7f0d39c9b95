/**
 * Which screen is shown, kept in the browser history so the phone's back
 * button and gesture move between screens instead of leaving Dak. The URL
 * itself never changes: the fragment is reserved for invite links.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'

export type View =
  | { name: 'list' }
  | { name: 'chat', conversationId: string }
  | { name: 'new-chat' }
  | { name: 'new-group' }
  | { name: 'members', conversationId: string }
  | { name: 'safety', handle: string }
  | { name: 'devices' }

interface HistoryEntry { dakView: View, depth: number }

const LIST: View = { name: 'list' }

/** history.state survives reloads and may be anything: accept only a well-formed entry. */
export function entryFromState (state: unknown): HistoryEntry | null {
  if (typeof state !== 'object' || state === null) return null
  const { dakView, depth } = state as { dakView?: unknown, depth?: unknown }
  if (typeof depth !== 'number' || typeof dakView !== 'object' || dakView === null) return null
  const view = dakView as Record<string, unknown>
  switch (view.name) {
    case 'list': case 'new-chat': case 'new-group': case 'devices':
      return { dakView: { name: view.name }, depth }
    case 'chat': case 'members':
      return typeof view.conversationId === 'string' ? { dakView: { name: view.name, conversationId: view.conversationId }, depth } : null
    case 'safety':
      return typeof view.handle === 'string' ? { dakView: { name: 'safety', handle: view.handle }, depth } : null
    default:
      return null
  }
}

export interface Navigation {
  view: View
  /** Shows a screen; `replace` when the current one should not be returned to (e.g. a finished form). */
  navigate: (view: View, options?: { replace?: boolean }) => void
  /** Previous screen, or the conversation list when Dak was opened on this one. */
  back: () => void
}

export function useNavigation (): Navigation {
  const [entry, setEntry] = useState<HistoryEntry>(() => entryFromState(history.state) ?? { dakView: LIST, depth: 0 })
  // The latest entry for callbacks, so navigate() stays stable and the
  // history call happens outside a state updater.
  const current = useRef(entry)
  current.current = entry

  useEffect(() => {
    const onPop = (event: PopStateEvent): void => { setEntry(entryFromState(event.state) ?? { dakView: LIST, depth: 0 }) }
    window.addEventListener('popstate', onPop)
    return () => { window.removeEventListener('popstate', onPop) }
  }, [])

  const navigate = useCallback((view: View, options: { replace?: boolean } = {}) => {
    const replace = options.replace === true
    const next = { dakView: view, depth: replace ? current.current.depth : current.current.depth + 1 }
    if (replace) history.replaceState(next, '')
    else history.pushState(next, '')
    current.current = next
    setEntry(next)
  }, [])

  const back = useCallback(() => {
    if (current.current.depth > 0) history.back()
    else navigate(LIST, { replace: true })
  }, [navigate])

  return useMemo(() => ({ view: entry.dakView, navigate, back }), [entry, navigate, back])
}
