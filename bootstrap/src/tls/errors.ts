import { DakError } from '@dak/protocol'

/**
 * Errors of the node's HTTPS setup, told apart by `.name` like every DakError.
 */

/** The configured certificate or key cannot be read or used (missing file, not PEM, key does not match). */
export class TlsConfigError extends DakError { override name = 'TlsConfigError' }

/** `dak-node tls init` found a department CA already there: replacing it means reinstalling it on every officer's machine. */
export class TlsAlreadyInitialisedError extends DakError { override name = 'TlsAlreadyInitialisedError' }
