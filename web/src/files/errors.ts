/** Errors of attachments in the browser; the UI words each (web/src/error-texts.ts). */
import { DakBrowserError } from '../platform/errors.js'

/**
 * A picked or dropped file is over the size Dak sends. The same name as the
 * engine's error (protocol/src/errors.ts), so the officer reads the same words
 * whichever side refused it; the browser checks first, before reading the file.
 */
export class FileTooLargeError extends DakBrowserError { override name = 'FileTooLargeError' }

/** The microphone could not be opened for a voice note (none, in use, or permission refused). */
export class MicrophoneUnavailableError extends DakBrowserError { override name = 'MicrophoneUnavailableError' }

/** This browser cannot record audio (no MediaRecorder, or not in Opus/WebM). */
export class RecordingUnsupportedError extends DakBrowserError { override name = 'RecordingUnsupportedError' }
