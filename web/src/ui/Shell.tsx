/**
 * The enrolled app: status bar, errors, the conversation list and the open
 * screen. On a phone one pane shows at a time; on a wide screen the list
 * stays beside the open screen (see styles.css). A device whose access was
 * withdrawn sees a full-page notice first, then read-only history.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import { readableError } from '../errors.js'
import type { Messenger } from '../messenger.js'
import { accessOfError } from '../state/access.js'
import { useAccess } from '../state/use-access.js'
import { useNavigation } from '../state/navigation.js'
import { useConversations } from '../state/use-conversations.js'
import { useStatus } from '../state/use-status.js'
import { AccessEndedBar, AccessEndedNotice } from './AccessEnded.js'
import { AppContext, type AppServices } from './context.js'
import { ConversationList } from './ConversationList.js'
import { ErrorBanner, type ShownError } from './ErrorBanner.js'
import { MainPane } from './MainPane.js'
import { StatusBar } from './StatusBar.js'
import type { Calls } from '../calls/types.js'
import { CallsContext } from '../calls/ui-context.js'
import { CallLayer } from './CallLayer.js'

let nextErrorId = 1

export function Shell ({ messenger, calls }: { messenger: Messenger, calls?: Calls | undefined }) {
  const status = useStatus(messenger)
  const { access, noteError } = useAccess(messenger, status.status)
  const [readingHistory, setReadingHistory] = useState(false)
  const [errors, setErrors] = useState<ShownError[]>([])
  const reportError = useCallback((err: unknown) => {
    const shown = readableError(err)
    noteError(shown.name)
    // The access notice says it in full; a banner would repeat it.
    if (accessOfError(shown.name) !== null) return
    // The same failure repeated (e.g. every retry while offline) is shown once.
    setErrors(current => current.some(e => e.text === shown.text && e.detail === shown.detail) ? current : [...current, { id: nextErrorId++, ...shown }])
  }, [noteError])
  const dismiss = useCallback((id: number) => { setErrors(current => current.filter(e => e.id !== id)) }, [])

  useEffect(() => messenger.on('error', reportError), [messenger, reportError])

  const conversations = useConversations(messenger, reportError)
  const navigation = useNavigation()
  const me = useMemo(() => messenger.whoami(), [messenger])
  const readOnly = access !== 'valid'

  const services: AppServices = useMemo(
    () => ({ ...navigation, messenger, me, reportError, conversations, readOnly }),
    [navigation, messenger, me, reportError, conversations, readOnly]
  )

  if (access !== 'valid' && !readingHistory) return <AccessEndedNotice access={access} onReadHistory={() => { setReadingHistory(true) }} />

  const { view } = navigation
  return (
    <AppContext.Provider value={services}>
      <CallsContext.Provider value={calls ?? null}>
      <div class="shell" data-view={view.name} data-read-only={String(readOnly)}>
        <StatusBar {...status} {...(access !== 'valid' ? { accessLost: access } : {})} />
        {access !== 'valid' && <AccessEndedBar access={access} />}
        <ErrorBanner errors={errors} onDismiss={dismiss} />
        <div class="panes">
          <nav class="list-pane" aria-label="Chats">
            <ConversationList selectedId={view.name === 'chat' || view.name === 'members' ? view.conversationId : null} />
          </nav>
          <main class="main-pane">
            <MainPane view={view} status={status.status} />
          </main>
        </div>
        {!readOnly && <CallLayer />}
      </div>
      </CallsContext.Provider>
    </AppContext.Provider>
  )
}
