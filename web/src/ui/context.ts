/**
 * What every screen of the enrolled app needs, passed once instead of through
 * every component: the messenger, who we are, where errors go, navigation.
 */
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Messenger, OfficerSummary } from '../messenger.js'
import type { Navigation } from '../state/navigation.js'
import type { Conversations } from '../state/use-conversations.js'

export interface AppServices extends Navigation {
  messenger: Messenger
  me: OfficerSummary
  /** Shows an error from the messenger to the officer; never throws. */
  reportError: (err: unknown) => void
  conversations: Conversations
  /** This device's access was withdrawn or expired: history only, nothing to send or change. */
  readOnly: boolean
}

export const AppContext = createContext<AppServices | null>(null)

export function useApp (): AppServices {
  const services = useContext(AppContext)
  if (services === null) throw new Error('useApp() outside <AppContext.Provider>')
  return services
}
