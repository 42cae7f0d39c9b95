import { DakError } from '@dak/protocol'
import { DEPARTMENT_ERRORS } from '@dak/protocol/department'
import { errorFromWire, RemoteError } from '../net/errors.js'
import { RateLimitedError } from '../net/limit-errors.js'

/**
 * The department's errors (protocol/src/department/errors.ts) as the devices'
 * side gets them back. The net layer only knows protocol/'s errors and its own,
 * so a name from the department's list would reach the messenger as a
 * RemoteError; departmentError() turns it back into its class.
 */

/** Too many requests from one address or peer in a short time: one class for HTTP and libp2p, defined with the limits. */
export { RateLimitedError }

const KNOWN = new Map<string, new (message: string) => DakError>([...DEPARTMENT_ERRORS, RateLimitedError].map(Class => [new Class('').name, Class]))
/** A node's error as its own class when it is one of the department's; otherwise as the net layer makes it. */
export function departmentError (err: unknown): unknown {
  if (err instanceof RemoteError) {
    const Known = KNOWN.get(err.remoteName)
    if (Known != null) return new Known(err.message.slice(err.remoteName.length + 2))
  }
  return err
}

/** errorFromWire, knowing the department's errors too. */
export function departmentErrorFromWire (name: string, message: string): DakError {
  return departmentError(errorFromWire(name, message)) as DakError
}
