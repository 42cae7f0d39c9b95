/** The officers' directory, loaded when a screen that picks officers opens. */
import { useEffect, useState } from 'preact/hooks'
import type { Messenger, OfficerSummary } from '../messenger.js'

/** null while loading. */
export function useContacts (messenger: Messenger, reportError: (err: unknown) => void): OfficerSummary[] | null {
  const [contacts, setContacts] = useState<OfficerSummary[] | null>(null)
  useEffect(() => {
    let current = true
    messenger.contacts().then(
      list => { if (current) setContacts(list) },
      err => { if (current) { setContacts([]); reportError(err) } }
    )
    return () => { current = false }
  }, [messenger, reportError])
  return contacts
}
