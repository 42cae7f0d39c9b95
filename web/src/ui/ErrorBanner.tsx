/** Errors from the messenger, in words, until the officer dismisses them. */
import { MAX_VISIBLE_ERRORS } from '../constants.js'
import type { ReadableError } from '../errors.js'
import { ErrorDetails } from './ErrorDetails.js'

export interface ShownError extends ReadableError { id: number }

interface Props {
  errors: ShownError[]
  onDismiss: (id: number) => void
}

export function ErrorBanner ({ errors, onDismiss }: Props) {
  // The container is always present so screen readers announce what is added to it.
  return (
    <div class="errors" role="alert" data-testid="error-banner">
      {errors.slice(-MAX_VISIBLE_ERRORS).map(error => (
        <div class="error" key={error.id} data-testid="error-message" data-error-name={error.name}>
          <div class="error-body">
            <p data-testid="error-text">{error.text}</p>
            <ErrorDetails detail={error.detail} />
          </div>
          <button type="button" class="icon-button" data-testid="dismiss-error-button" aria-label="Dismiss this error" onClick={() => { onDismiss(error.id) }}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
    </div>
  )
}
