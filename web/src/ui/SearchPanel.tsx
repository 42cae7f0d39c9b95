/** Search the history on this device (issue 16): never a server. Results open their conversation. */
import { useState } from 'preact/hooks'
import { formatListTime } from '../format.js'
import type { SearchHit } from '../messenger.js'
import { useApp } from './context.js'

export function SearchPanel () {
  const { messenger, reportError, navigate } = useApp()
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<SearchHit[] | null>(null)

  const search = (): void => {
    if (query.trim() === '') { setHits(null); return }
    messenger.search(query).then(setHits, reportError)
  }
  const now = Date.now()
  return (
    <div class="search-panel">
      <form role="search" class="search-row" onSubmit={e => { e.preventDefault(); search() }}>
        <label for="search-input" class="visually-hidden">Search messages on this device</label>
        <input id="search-input" type="search" data-testid="search-input" placeholder="Search messages" value={query} onInput={e => { setQuery(e.currentTarget.value) }} />
        <button type="submit" data-testid="search-button">Search</button>
      </form>
      {hits !== null && (hits.length === 0
        ? <p class="muted pad" role="status" data-testid="search-empty">Nothing found on this device.</p>
        : (
          <ul class="plain-list search-results" data-testid="search-results">
            {hits.map(h => (
              <li key={h.message.id}>
                <button type="button" class="search-hit" data-testid="search-hit" data-message-id={h.message.id} onClick={() => { navigate({ name: 'chat', conversationId: h.message.conversationId }) }}>
                  <span class="muted small">{h.conversationTitle} · {h.message.fromMe || h.message.fromMyOtherDevice === true ? 'You' : h.message.sender.displayName} · {formatListTime(h.message.sentAt, now)}</span>
                  <span>{h.message.text}</span>
                </button>
              </li>
            ))}
          </ul>
          ))}
    </div>
  )
}
