/**
 * A reset of a WebSocket connection that actually closes it.
 *
 * @libp2p/websockets 10.1.21 resets a connection (`abort()`) with
 * `websocket.close(1006)`. RFC 6455 7.4.1 reserves 1006 ("MUST NOT be set as a
 * status code in a Close control frame"): `ws` throws a TypeError for it and
 * browsers an InvalidAccessError, so the socket stays open while libp2p
 * believes the connection gone. The other end never hears of it: a department
 * node that hangs up on a revoked browser tab leaves the tab's WebSocket open,
 * and the tab learns nothing until a ping of its own fails. No later release
 * of the package changes this (10.1.21 is the newest on the registry), so the
 * reset is translated here, in one place, until it does:
 *
 * - `ws` (Node.js): `terminate()`, which destroys the socket at once: the other
 *   end sees an abnormal closure, a reset, as libp2p meant;
 * - a browser: a close with code 4006, which is allowed, so the other end gets a
 *   close frame and ends the connection.
 *
 * Every other close passes through unchanged.
 */

/** The reserved code @libp2p/websockets passes for a reset. */
const RESET_CODE = 1006
/** What a browser sends instead: the 4000–4999 range is the application's own. */
const BROWSER_RESET_CODE = 4006
const PATCHED = Symbol.for('dak.websocket-reset')

/** Method syntax: `ws` takes a Buffer reason as well, browsers a string only. */
interface Closable {
  close (code?: number, reason?: string): void
  terminate?: () => void
}

/**
 * Make `close(1006)` on instances of `prototype` close the socket: with
 * `terminate()` when the class has it (`ws`), else with BROWSER_RESET_CODE.
 * Idempotent: a prototype is changed once.
 */
export function makeResetsClose (prototype: Closable): void {
  const marked = prototype as Closable & { [PATCHED]?: true }
  if (marked[PATCHED] === true) return
  const close = prototype.close
  prototype.close = function (this: Closable, code?: number, reason?: string): void {
    if (code !== RESET_CODE) { close.call(this, code, reason); return }
    if (typeof this.terminate === 'function') this.terminate()
    else close.call(this, BROWSER_RESET_CODE, 'reset')
  }
  marked[PATCHED] = true
}
