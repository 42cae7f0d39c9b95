/** Searching the officers' directory (pure, unit-tested). */
import type { OfficerSummary } from '../messenger.js'

/**
 * Officers matching every word of the query in name, handle, title or
 * department, without `excludeHandles` (oneself, existing members), by name.
 */
export function filterOfficers (officers: OfficerSummary[], query: string, excludeHandles: ReadonlySet<string> = new Set()): OfficerSummary[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(w => w !== '')
  return officers
    .filter(o => !excludeHandles.has(o.handle))
    .filter(o => {
      const haystack = `${o.displayName} ${o.handle} ${o.title} ${o.department}`.toLocaleLowerCase()
      return words.every(w => haystack.includes(w))
    })
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
}
