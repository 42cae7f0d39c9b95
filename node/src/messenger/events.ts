import type { MessengerEvents } from './api.js'
import { componentLogger } from '../log.js'

const log = componentLogger('messenger:events')

/** A tiny typed emitter: listeners never break the emitter (a throwing listener is isolated). */
export class MessengerEmitter {
  private readonly listeners = new Map<keyof MessengerEvents, Set<(detail: never) => void>>()

  on<K extends keyof MessengerEvents> (event: K, listener: (detail: MessengerEvents[K]) => void): () => void {
    let set = this.listeners.get(event)
    if (set == null) {
      set = new Set()
      this.listeners.set(event, set)
    }
    set.add(listener as (detail: never) => void)
    return () => { set.delete(listener as (detail: never) => void) }
  }

  emit<K extends keyof MessengerEvents> (event: K, detail: MessengerEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (d: MessengerEvents[K]) => void)(detail)
      } catch (err) {
        // a UI listener's bug must not stop delivery to the others or the engine
        log.error('a %s listener threw: %e', event, err)
      }
    }
  }
}

/** What the UI gets of an error: `{ name, message }` (see api.ts). */
export function errorDetail (err: unknown): { name: string, message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) }
}
