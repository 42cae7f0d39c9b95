import { DakError } from '../../errors.js'

/** An inclusion or consistency proof that does not prove what it claims (a forged, truncated or mismatched proof). */
export class InvalidProofError extends DakError { override name = 'InvalidProofError' }
/**
 * Two signed tree heads of one log that cannot both be honest: the same size
 * with different roots, or a larger tree that does not extend the smaller one.
 * Proof, in the log's own signatures, that it showed different devices
 * different histories (a certificate shown to one officer, hidden from another).
 */
export class SplitViewError extends DakError { override name = 'SplitViewError' }
/** A certificate or revocation list the log does not hold under the head the device trusts. */
export class NotInLogError extends DakError { override name = 'NotInLogError' }
