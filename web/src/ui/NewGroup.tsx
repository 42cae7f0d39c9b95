/** Creating a group: a title and at least one other officer. The creator becomes its admin. */
import { useMemo, useState } from 'preact/hooks'
import { useContacts } from '../state/use-contacts.js'
import { ContactPicker } from './ContactPicker.js'
import { useApp } from './context.js'
import { ScreenHeader } from './ScreenHeader.js'

export function NewGroup () {
  const { messenger, me, reportError, conversations, navigate, back } = useApp()
  const contacts = useContacts(messenger, reportError)
  const [title, setTitle] = useState('')
  const [members, setMembers] = useState<Set<string>>(new Set())
  const [creating, setCreating] = useState(false)
  const exclude = useMemo(() => new Set([me.handle]), [me.handle])
  const ready = title.trim() !== '' && members.size > 0 && !creating

  const create = (event: Event): void => {
    event.preventDefault()
    if (!ready) return
    setCreating(true)
    messenger.createGroup(title.trim(), [...members]).then(conversation => {
      conversations.upsert(conversation)
      navigate({ name: 'chat', conversationId: conversation.id }, { replace: true })
    }, err => {
      setCreating(false)
      reportError(err)
    })
  }

  return (
    <section class="screen">
      <ScreenHeader title="New group" onBack={back} />
      <form class="pad stack" onSubmit={create}>
        <label for="group-title">Group name</label>
        <input id="group-title" type="text" data-testid="group-title-input" value={title} onInput={e => { setTitle(e.currentTarget.value) }} autocomplete="off" required />
        <ContactPicker legend="Members" contacts={contacts} exclude={exclude} selected={members} onChange={setMembers} />
        <p class="muted small" id="create-group-hint">{ready || creating ? 'You will be the group’s admin.' : 'Give the group a name and choose at least one member.'}</p>
        <button type="submit" class="primary" data-testid="create-group-button" disabled={!ready} aria-describedby="create-group-hint">
          {creating ? 'Creating…' : 'Create group'}
        </button>
      </form>
    </section>
  )
}
