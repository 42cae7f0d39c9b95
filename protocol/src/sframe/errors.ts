import { DakError } from '../errors.js'

/** An SFrame ciphertext failed authentication: wrong key, or altered on the way. Discard the frame. */
export class SFrameAuthenticationError extends DakError { override name = 'SFrameAuthenticationError' }

/** An SFrame ciphertext names a key id this receiver has no key for (RFC 9605 4.4.4). */
export class UnknownSFrameKeyError extends DakError { override name = 'UnknownSFrameKeyError' }

/** A sender's counter ran out (2^64 frames): the key must be replaced, never reused. */
export class SFrameCounterExhaustedError extends DakError { override name = 'SFrameCounterExhaustedError' }
