/** Choosing several officers from the directory (new group, adding members). */
import { useId, useState } from 'preact/hooks'
import type { OfficerSummary } from '../messenger.js'
import { filterOfficers } from '../state/directory.js'
import { OfficerName } from './OfficerName.js'

interface Props {
  legend: string
  /** null while the directory loads. */
  contacts: OfficerSummary[] | null
  exclude: ReadonlySet<string>
  selected: ReadonlySet<string>
  onChange: (selected: Set<string>) => void
}

export function ContactPicker ({ legend, contacts, exclude, selected, onChange }: Props) {
  const [query, setQuery] = useState('')
  const searchId = useId()
  const toggle = (handle: string, on: boolean): void => {
    const next = new Set(selected)
    if (on) next.add(handle)
    else next.delete(handle)
    onChange(next)
  }
  const shown = contacts === null ? [] : filterOfficers(contacts, query, exclude)

  return (
    <fieldset class="contact-picker">
      <legend>{legend} <span class="muted small">({selected.size} selected)</span></legend>
      <label for={searchId}>Search the directory</label>
      <input id={searchId} type="search" data-testid="contact-search" value={query} onInput={e => { setQuery(e.currentTarget.value) }} autocomplete="off" />
      {contacts === null && <p class="muted" role="status">Loading the directory…</p>}
      {contacts !== null && shown.length === 0 && <p class="muted">No officers match.</p>}
      <ul class="plain-list">
        {shown.map(officer => (
          <li key={officer.handle}>
            <label class="check-row">
              <input
                type="checkbox"
                data-testid="member-checkbox"
                value={officer.handle}
                checked={selected.has(officer.handle)}
                onChange={e => { toggle(officer.handle, e.currentTarget.checked) }}
              />
              <OfficerName officer={officer} />
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}
