import { RequestTimeoutError } from './errors.js'
import type { Stream } from '@libp2p/interface'

/**
 * A deadline for reading an answer that counts progress rather than the whole
 * answer: it runs out when nothing has arrived on the stream for `idleMs`, or
 * when the whole exchange has taken `maxMs`, whichever comes first.
 *
 * Why: one fixed deadline for the whole answer failed every catch-up on a 2G
 * link at 30% loss (docs/field.md): an answer of some kilobytes was still
 * arriving, segment by segment, when its 10 s ran out, and the next attempt
 * started again from nothing. A link that is slow but moving keeps its
 * request; a link that has gone quiet is given up after `idleMs` as before;
 * `maxMs` bounds a peer that trickles a byte at a time.
 */
export interface ProgressDeadlineOptions {
  /** Longest silence allowed between two chunks of the answer (and before the first). */
  idleMs: number
  /** Longest the whole exchange may take, however steadily bytes arrive. */
  maxMs: number
  /** The caller's own signal: aborting it aborts the deadline's. */
  signal?: AbortSignal
}

export interface ProgressDeadline {
  signal: AbortSignal
  /** Bytes moved: the silence starts again from now. */
  touch: () => void
  /** Stop the timers and listeners (the exchange is over). Idempotent. */
  dispose: () => void
}

/**
 * Progress is what the caller reports with touch(), plus, with `stream`, every
 * chunk that arrives on it. A chunk is a muxer frame, not a TCP segment: the
 * sender cuts a long frame into slices (frames.ts, writeFrame) so that a slow
 * answer arrives as many chunks rather than one at the end.
 */
export function progressDeadline (stream: Pick<Stream, 'addEventListener' | 'removeEventListener'> | undefined, options: ProgressDeadlineOptions): ProgressDeadline {
  const controller = new AbortController()
  let idle: ReturnType<typeof setTimeout> | undefined
  const abort = (reason: unknown): void => {
    dispose()
    controller.abort(reason)
  }
  const armIdle = (): void => {
    clearTimeout(idle)
    idle = setTimeout(() => { abort(new RequestTimeoutError(`nothing arrived for ${options.idleMs} ms`)) }, options.idleMs)
  }
  const cap = setTimeout(() => { abort(new RequestTimeoutError(`the answer did not complete within ${options.maxMs} ms`)) }, options.maxMs)
  const onMessage = (): void => { if (!controller.signal.aborted) armIdle() }
  const onOuterAbort = (): void => { abort(options.signal?.reason) }

  function dispose (): void {
    clearTimeout(idle)
    clearTimeout(cap)
    stream?.removeEventListener('message', onMessage)
    options.signal?.removeEventListener('abort', onOuterAbort)
  }

  if (options.signal?.aborted === true) {
    abort(options.signal.reason)
    return { signal: controller.signal, touch: onMessage, dispose }
  }
  armIdle()
  stream?.addEventListener('message', onMessage)
  options.signal?.addEventListener('abort', onOuterAbort, { once: true })
  return { signal: controller.signal, touch: onMessage, dispose }
}
