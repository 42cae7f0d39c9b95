/** Errors of calls in the browser; the UI words each (web/src/error-texts.ts). */
import { DakBrowserError } from '../platform/errors.js'

/** The camera or microphone could not be opened (none, in use, or permission refused). */
export class MediaUnavailableError extends DakBrowserError { override name = 'MediaUnavailableError' }

/** This browser cannot encrypt call media end to end (no WebRTC Encoded Transform). */
export class EncryptedCallsUnsupportedError extends DakBrowserError { override name = 'EncryptedCallsUnsupportedError' }

/** A call is already under way on this device. */
export class AlreadyInCallError extends DakBrowserError { override name = 'AlreadyInCallError' }
