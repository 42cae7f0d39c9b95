import { CodecError, MlsError as TsMlsError } from 'ts-mls'
import { DakError, DuplicateMessageError, MalformedInputError, MlsError } from '../errors.js'

/**
 * Turn whatever ts-mls (or a crypto library under it) throws into a Dak error, so
 * callers only ever see errors they can tell apart by `.name`.
 */
export function toDakError (err: unknown, what: string): DakError {
  if (err instanceof DakError) return err
  const message = err instanceof Error ? err.message : String(err)
  // ts-mls says this when a sender's generation was already used, i.e. the same
  // ciphertext was processed before (or its key fell out of the retention window).
  if (err instanceof TsMlsError && message === 'Desired gen in the past') {
    return new DuplicateMessageError(`${what}: this message's key was already used (duplicate) or is no longer retained`)
  }
  // A commit naming a proposal by reference that has not arrived yet (MLS.md pitfall 5).
  if (err instanceof TsMlsError && message === 'Could not find proposal with supplied reference') {
    return new MlsError(`${what}: the commit references a proposal not received yet; keep the commit and retry once this epoch's proposals are in`)
  }
  if (err instanceof CodecError) return new MalformedInputError(`${what}: ${message}`)
  if (err instanceof TsMlsError) return new MlsError(`${what}: ${message}`)
  // AEAD and KEM failures from @hpke / @noble, and any bug-shaped TypeError on hostile input.
  return new MlsError(`${what}: ${message}`)
}

/**
 * Run a ts-mls operation and translate its failure. `recorded` gives the typed error our
 * AuthenticationService noted (ts-mls only learns "false" from it and would report a
 * generic "Could not validate credential"); it wins over ts-mls's own message.
 */
export async function mlsCall<T> (what: string, fn: () => Promise<T>, recorded?: () => DakError | undefined): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw recorded?.() ?? toDakError(err, what)
  }
}
