/** Starting a one-to-one conversation with an officer from the directory. */
import { useId, useMemo, useState } from 'preact/hooks'
import { filterOfficers } from '../state/directory.js'
import { useContacts } from '../state/use-contacts.js'
import { useApp } from './context.js'
import { OfficerName } from './OfficerName.js'
import { ScreenHeader } from './ScreenHeader.js'

export function NewChat () {
  const { messenger, me, reportError, conversations, navigate, back } = useApp()
  const contacts = useContacts(messenger, reportError)
  const [query, setQuery] = useState('')
  const [starting, setStarting] = useState<string | null>(null)
  const searchId = useId()
  const exclude = useMemo(() => new Set([me.handle]), [me.handle])
  const shown = contacts === null ? [] : filterOfficers(contacts, query, exclude)

  const start = (handle: string): void => {
    setStarting(handle)
    messenger.startDirect(handle).then(conversation => {
      conversations.upsert(conversation)
      // Back from the new chat returns to the list, not to this picker.
      navigate({ name: 'chat', conversationId: conversation.id }, { replace: true })
    }, err => {
      setStarting(null)
      reportError(err)
    })
  }

  return (
    <section class="screen">
      <ScreenHeader title="New chat" subtitle="Choose an officer from the directory" onBack={back} />
      <div class="pad stack">
        <label for={searchId}>Search the directory</label>
        <input id={searchId} type="search" data-testid="contact-search" value={query} onInput={e => { setQuery(e.currentTarget.value) }} autocomplete="off" />
        {contacts === null && <p class="muted" role="status">Loading the directory…</p>}
        {contacts !== null && shown.length === 0 && <p class="muted">No officers match.</p>}
        <ul class="plain-list">
          {shown.map(officer => (
            <li key={officer.handle}>
              <button
                type="button"
                class="contact-item"
                data-testid="contact-item"
                data-handle={officer.handle}
                disabled={starting !== null}
                aria-busy={starting === officer.handle}
                onClick={() => { start(officer.handle) }}
              >
                <OfficerName officer={officer} />
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  )
}
