/** Errors from the messenger, in words, until the officer dismisses them. */
import { MAX_VISIBLE_ERRORS } from '../constants.js'

export interface ShownError { id: number, text: string }

interface Props {
  errors: ShownError[]
  onDismiss: (id: number) => void
}

export function ErrorBanner ({ errors, onDismiss }: Props) {
  // The container is always present so screen readers announce what is added to it.
  return (
    <div class="errors" role="alert" data-testid="error-banner">
      {errors.slice(-MAX_VISIBLE_ERRORS).map(error => (
        <div class="error" key={error.id} data-testid="error-message">
          <p>{error.text}</p>
          <button type="button" class="icon-button" data-testid="dismiss-error-button" aria-label="Dismiss this error" onClick={() => { onDismiss(error.id) }}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
    </div>
  )
}
