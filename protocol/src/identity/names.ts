import { MAX_NAME_BYTES } from '../constants.js'
import { utf8 } from '../bytes.js'
import { InvalidArgumentError } from '../errors.js'

/** Handles are typed by people and shown in lists: lower-case, digits, dot, dash, underscore. */
const HANDLE = /^[a-z0-9][a-z0-9._-]{0,62}$/
/** Department ids look like handles with dots for hierarchy ("mof.budget"). */
const DEPARTMENT = /^[a-z0-9][a-z0-9._-]{0,62}$/

export function checkHandle (handle: string): string {
  if (!HANDLE.test(handle)) throw new InvalidArgumentError(`handle "${handle.slice(0, 70)}" must be 1-63 of a-z 0-9 . _ - starting with a letter or digit`)
  return handle
}

export function checkDepartment (department: string): string {
  if (!DEPARTMENT.test(department)) throw new InvalidArgumentError(`department "${department.slice(0, 70)}" must be 1-63 of a-z 0-9 . _ -`)
  return department
}

/** Free text shown to people: bounded, and no control characters that could spoof a UI. */
export function checkLabel (label: string, what: string): string {
  if (utf8(label).length > MAX_NAME_BYTES) throw new InvalidArgumentError(`${what} is longer than ${MAX_NAME_BYTES} bytes`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(label)) throw new InvalidArgumentError(`${what} contains control or bidi-override characters`)
  return label
}
