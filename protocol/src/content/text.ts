import { MAX_TEXT_BYTES } from '../constants.js'
import { utf8 } from '../bytes.js'
import { InvalidArgumentError } from '../errors.js'

/** A lone UTF-16 surrogate cannot be encoded as UTF-8 faithfully: signed text would not survive a round trip. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Message and directive text: 1 to MAX_TEXT_BYTES bytes of well-formed Unicode. */
export function checkText (text: string, what: string): string {
  if (text.length === 0) throw new InvalidArgumentError(`${what} is empty`)
  // UTF-8 is never shorter than the UTF-16 length: skip encoding text that is plainly too long.
  if (text.length > MAX_TEXT_BYTES || utf8(text).length > MAX_TEXT_BYTES) throw new InvalidArgumentError(`${what} is longer than ${MAX_TEXT_BYTES} bytes`)
  if (LONE_SURROGATE.test(text)) throw new InvalidArgumentError(`${what} is not well-formed Unicode`)
  return text
}
