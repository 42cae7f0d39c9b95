/** Connection status and catch-up progress, for the status bar and the composer. */
import { useEffect, useState } from 'preact/hooks'
import type { ConnectionStatus, Messenger, MessengerEvents } from '../messenger.js'

export interface StatusState {
  status: ConnectionStatus
  /** Catch-up after being offline, while it is known to be under way. */
  sync: MessengerEvents['sync'] | null
}

export function useStatus (messenger: Messenger): StatusState {
  const [status, setStatus] = useState<ConnectionStatus>(() => messenger.status())
  const [sync, setSync] = useState<MessengerEvents['sync'] | null>(null)

  useEffect(() => {
    const offStatus = messenger.on('status', setStatus)
    // Only a catch-up with a known total has a visible end; without one the
    // bar would claim to be catching up for ever.
    const offSync = messenger.on('sync', progress => {
      setSync(progress.total !== undefined && progress.done < progress.total ? progress : null)
    })
    // The status may have changed between the first render and subscribing.
    setStatus(messenger.status())
    return () => { offStatus(); offSync() }
  }, [messenger])

  return { status, sync }
}
