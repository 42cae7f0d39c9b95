import { concatBytes, utf8 } from '../bytes.js'
import { decodeBounded } from '../codec.js'
import { DakError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { loadSuite } from '../mls/suite.js'
import { SealedHistoryPart } from '../wire/generated/history.js'
import { HISTORY_REQUEST_ID_BYTES, MAX_HISTORY_PART_BYTES } from './history-part.js'

/**
 * Sealing history parts to the device that asked (docs/messenger.md,
 * *History transfer*). The asking device makes an HPKE key pair of the
 * conversation's cipher suite for one request (X-Wing by default: the
 * transfer is as post-quantum as the group it copies) and sends the public
 * half inside the group; the asked device seals every part to it. The
 * answering device's key is bound as the AEAD's associated data, so a part
 * re-wrapped in another member's envelope does not open.
 */


const INFO = utf8('dak/v1/history-part')
/** HPKE adds its encapsulation (1,120 bytes for X-Wing) and a tag around the part. */
const MAX_SEALED_BYTES = MAX_HISTORY_PART_BYTES + 4096

/** A sealed part that does not open with the request's key (altered, or sealed to another key or for another sender). */
export class HistoryPartUnreadableError extends DakError { override name = 'HistoryPartUnreadableError' }

export interface HistoryKeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

export async function createHistoryKeyPair (suiteName: string): Promise<HistoryKeyPair> {
  const { hpke } = (await loadSuite(suiteName)).impl
  const pair = await hpke.generateKeyPair()
  return { publicKey: await hpke.exportPublicKey(pair.publicKey), privateKey: await hpke.exportPrivateKey(pair.privateKey) }
}

function checkRequestId (requestId: Uint8Array): void {
  if (requestId.length !== HISTORY_REQUEST_ID_BYTES) throw new InvalidArgumentError(`a history request id is ${HISTORY_REQUEST_ID_BYTES} bytes`)
}

function context (requestId: Uint8Array): Uint8Array {
  return concatBytes(INFO, requestId)
}

/** Seal an encoded part (history-part.ts) to the request's public key, from `sender` (the answering device's key). */
export async function sealHistoryPart (suiteName: string, publicKey: Uint8Array, requestId: Uint8Array, sender: Uint8Array, partBytes: Uint8Array): Promise<Uint8Array> {
  checkRequestId(requestId)
  const { hpke } = (await loadSuite(suiteName)).impl
  let recipient
  try {
    recipient = await hpke.importPublicKey(publicKey)
  } catch (err) {
    throw new InvalidArgumentError(`the request's key is not a key of ${suiteName}: ${(err as Error).message}`)
  }
  const { enc, ct } = await hpke.seal(recipient, partBytes, context(requestId), sender)
  return SealedHistoryPart.encode({ requestId, enc, ciphertext: ct })
}

/** The request a sealed part answers, read before it is opened (to find the key). */
export function sealedHistoryRequestId (sealed: Uint8Array): Uint8Array {
  const wire = decodeBounded(SealedHistoryPart, sealed, MAX_SEALED_BYTES, 'sealed history part')
  if (wire.requestId.length !== HISTORY_REQUEST_ID_BYTES || wire.enc.length === 0 || wire.ciphertext.length === 0) throw new MalformedInputError('sealed history part: request id, encapsulation and ciphertext are required')
  return wire.requestId
}

/** Open a sealed part with the request's private key; it must have been sealed from `sender`. */
export async function openHistoryPart (suiteName: string, privateKey: Uint8Array, sealed: Uint8Array, sender: Uint8Array): Promise<Uint8Array> {
  const requestId = sealedHistoryRequestId(sealed)
  const wire = SealedHistoryPart.decode(sealed)
  const { hpke } = (await loadSuite(suiteName)).impl
  try {
    const key = await hpke.importPrivateKey(privateKey)
    return await hpke.open(key, wire.enc, wire.ciphertext, context(requestId), sender)
  } catch (err) {
    throw new HistoryPartUnreadableError(`a history part did not open with this request's key: ${(err as Error).message}`)
  }
}
