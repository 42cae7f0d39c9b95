/**
 * The technical name and message of an error, folded away under the plain
 * sentence: the officer does not need it, department IT does when asked.
 */
export function ErrorDetails ({ detail }: { detail: string }) {
  return (
    <details class="error-details" data-testid="error-details">
      <summary>Details for department IT</summary>
      <code>{detail}</code>
    </details>
  )
}
