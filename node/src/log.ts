import { logger, type Logger } from '@libp2p/logger'

/**
 * One logger per component, as js-libp2p does (`logger.forComponent`): quiet
 * by default, switched on per component with the `debug` convention —
 * `DEBUG=dak:*` (or `DEBUG=dak:messenger:*,libp2p:gossipsub`) in Node.js,
 * `localStorage.debug = 'dak:*'` in the browser. Failures that the engine
 * survives by design (a listener's bug, an envelope that will never open, a
 * chore retried later) go here rather than into a silent catch, so whoever
 * debugs a device can see them; what the officer must see goes through the
 * messenger's 'error' event instead.
 */
export type { Logger }

export function componentLogger (component: string): Logger {
  return logger(`dak:${component}`)
}
