/**
 * Heading row of a screen: a back button on phones, the title, and actions.
 * The heading takes focus when the screen opens so keyboard and screen-reader
 * users land on the new screen instead of on a button that has disappeared.
 */
import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

interface Props {
  title: string
  subtitle?: string
  onBack?: () => void
  /** Buttons at the end of the row. */
  children?: ComponentChildren
  focusOnMount?: boolean
}

export function ScreenHeader ({ title, subtitle, onBack, children, focusOnMount = true }: Props) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => { if (focusOnMount) heading.current?.focus() }, [focusOnMount])
  return (
    <div class="screen-header">
      {onBack !== undefined && (
        <button type="button" class="icon-button back-button" data-testid="back-button" aria-label="Back" onClick={onBack}>
          <span aria-hidden="true">←</span>
        </button>
      )}
      <div class="screen-title">
        <h2 ref={heading} tabIndex={-1} data-testid="screen-title">{title}</h2>
        {subtitle !== undefined && <p class="muted" data-testid="screen-subtitle">{subtitle}</p>}
      </div>
      {children !== undefined && <div class="screen-actions">{children}</div>}
    </div>
  )
}
