/**
 * Members of a conversation: verify any of them; admins add and remove
 * members; anyone can leave a group. Membership changes are MLS commits that
 * the messenger sends; the panel only asks and shows the result.
 */
import { useMemo, useState } from 'preact/hooks'
import { conversationTitle, isClosed } from '../state/conversation-view.js'
import { isAdmin } from '../state/conversations.js'
import { useContacts } from '../state/use-contacts.js'
import { ContactPicker } from './ContactPicker.js'
import { DisappearingSetting } from './DisappearingSetting.js'
import { useApp } from './context.js'
import { OfficerName } from './OfficerName.js'
import { ScreenHeader } from './ScreenHeader.js'

export function MembersPanel ({ conversationId }: { conversationId: string }) {
  const { messenger, me, reportError, conversations, navigate, back, readOnly } = useApp()
  const conversation = conversations.list?.find(c => c.id === conversationId)
  const [busy, setBusy] = useState(false)
  const [confirmLeave, setConfirmLeave] = useState(false)

  if (conversation === undefined) {
    return (
      <section class="screen">
        <ScreenHeader title="Members" onBack={back} />
        <p class="muted pad" role="status">{conversations.list === null ? 'Loading…' : 'This conversation is not available on this device.'}</p>
      </section>
    )
  }

  // A closed conversation, or a device whose access was withdrawn, can only be looked at.
  const canChange = !readOnly && !isClosed(conversation)
  const admin = canChange && isAdmin(conversation, me.handle)
  const isGroup = conversation.kind === 'group'
  const title = conversationTitle(conversation, me)
  // Officers still being waited for are listed apart, whether or not the engine also counts them as members.
  const waiting = conversation.waitingFor ?? []
  const joined = conversation.members.filter(m => !waiting.some(w => w.handle === m.handle))

  // The messenger announces membership changes with a 'conversation' event;
  // the refresh covers implementations that only update the stored list.
  const run = (action: () => Promise<void>, after?: () => void): void => {
    setBusy(true)
    action().then(() => { conversations.refresh(); after?.() }, reportError).finally(() => { setBusy(false) })
  }

  return (
    <section class="screen">
      <ScreenHeader title="Members" subtitle={title} onBack={back} />
      <div class="pad stack">
        <ul class="plain-list member-list" aria-label={`Members of ${title}`}>
          {joined.map(member => {
            const isMe = member.handle === me.handle
            const memberIsAdmin = isAdmin(conversation, member.handle)
            return (
              <li key={member.handle} class="member-row" data-testid="member-item" data-handle={member.handle}>
                <OfficerName officer={member} suffix={[isMe ? '(you)' : '', memberIsAdmin ? '· admin' : ''].filter(s => s !== '').join(' ') || undefined} />
                {!isMe && (
                  <span class="row-actions">
                    <button type="button" data-testid="safety-button" aria-label={`Verify ${member.displayName}`} onClick={() => { navigate({ name: 'safety', handle: member.handle }) }}>Verify</button>
                    {admin && isGroup && (
                      <button
                        type="button"
                        class="danger"
                        data-testid="remove-member-button"
                        aria-label={`Remove ${member.displayName}`}
                        disabled={busy}
                        onClick={() => { run(async () => { await messenger.removeMember(conversationId, member.handle) }) }}
                      >Remove</button>
                    )}
                  </span>
                )}
              </li>
            )
          })}
          {waiting.map(officer => (
            <li key={officer.handle} class="member-row" data-testid="waiting-member-item" data-handle={officer.handle}>
              <OfficerName officer={officer} suffix="· device not joined yet" />
            </li>
          ))}
        </ul>
        <DisappearingSetting conversation={conversation} canSet={admin} />
        {admin && isGroup && <AddMembers conversationId={conversationId} memberHandles={[...joined, ...waiting].map(m => m.handle)} busy={busy} run={run} />}
        {isGroup && canChange && (
          confirmLeave
            ? (
              <div class="confirm" role="group" aria-label="Leave the group?">
                <p>Leave “{title}”? You will not see new messages in it.</p>
                <button type="button" class="danger" data-testid="leave-confirm-button" disabled={busy} onClick={() => { run(async () => { await messenger.leave(conversationId) }, () => { navigate({ name: 'list' }, { replace: true }) }) }}>Leave group</button>
                <button type="button" data-testid="leave-cancel-button" onClick={() => { setConfirmLeave(false) }}>Cancel</button>
              </div>
              )
            : <button type="button" class="danger" data-testid="leave-button" onClick={() => { setConfirmLeave(true) }}>Leave group…</button>
        )}
        {isGroup && canChange && !admin && <p class="muted small">Only the group’s admins can add or remove members.</p>}
      </div>
    </section>
  )
}

interface AddProps {
  conversationId: string
  memberHandles: string[]
  busy: boolean
  run: (action: () => Promise<void>, after?: () => void) => void
}

function AddMembers ({ conversationId, memberHandles, busy, run }: AddProps) {
  const { messenger, reportError } = useApp()
  const contacts = useContacts(messenger, reportError)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const exclude = useMemo(() => new Set(memberHandles), [memberHandles.join('\n')])

  const add = (event: Event): void => {
    event.preventDefault()
    if (selected.size === 0) return
    run(async () => { await messenger.addMembers(conversationId, [...selected]) }, () => { setSelected(new Set()) })
  }

  return (
    <form class="stack" onSubmit={add}>
      <ContactPicker legend="Add members" contacts={contacts} exclude={exclude} selected={selected} onChange={setSelected} />
      <button type="submit" class="primary" data-testid="add-members-button" disabled={busy || selected.size === 0}>Add selected</button>
    </form>
  )
}
