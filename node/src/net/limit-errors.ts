import { DakError } from '@dak/protocol'

/** Too many requests from one peer or address (or from everyone at once) in a short time: wait and try again. */
export class RateLimitedError extends DakError { override name = 'RateLimitedError' }
/** A peer that kept exceeding the limits after being refused: disconnected and denied for a while. */
export class FloodingError extends DakError { override name = 'FloodingError' }
