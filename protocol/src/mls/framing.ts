import { contentTypes, encode, mlsMessageDecoder, mlsMessageEncoder, wireformats, type Decoder, type MlsFramedMessage, type MlsMessage } from 'ts-mls'
import { MAX_MLS_MESSAGE_BYTES } from '../constants.js'
import { MalformedInputError, TooLargeError } from '../errors.js'

/**
 * Bounded, strict decoding of MLS wire bytes. The size cap runs before ts-mls sees a
 * byte (its own cap is 64 MB); trailing bytes are refused so one message has one encoding.
 */
export function decodeExact<T> (decoder: Decoder<T>, bytes: Uint8Array, maxBytes: number, what: string): T {
  if (!(bytes instanceof Uint8Array)) throw new MalformedInputError(`${what}: expected bytes`)
  if (bytes.length > maxBytes) throw new TooLargeError(`${what}: ${bytes.length} bytes is over the limit of ${maxBytes}`)
  let result: [T, number] | undefined
  try {
    result = decoder(bytes, 0)
  } catch (err) {
    throw new MalformedInputError(`${what}: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (result == null) throw new MalformedInputError(`${what}: does not decode`)
  if (result[1] !== bytes.length) throw new MalformedInputError(`${what}: ${bytes.length - result[1]} trailing bytes`)
  return result[0]
}

export function decodeMlsMessage (bytes: Uint8Array, what = 'MLS message'): MlsMessage {
  return decodeExact(mlsMessageDecoder, bytes, MAX_MLS_MESSAGE_BYTES, what)
}

export function encodeMlsMessage (message: MlsMessage): Uint8Array {
  return encode(mlsMessageEncoder, message)
}

/** A handshake or application message, as opposed to a Welcome, GroupInfo or KeyPackage. */
export function decodeFramed (bytes: Uint8Array): MlsFramedMessage {
  const message = decodeMlsMessage(bytes)
  if (message.wireformat !== wireformats.mls_public_message && message.wireformat !== wireformats.mls_private_message) {
    throw new MalformedInputError('MLS message is not a group message (PublicMessage or PrivateMessage)')
  }
  return message
}

export type ContentKind = 'application' | 'proposal' | 'commit'

/** What anyone, member or not, can read from a group message's cleartext framing. */
export interface Frame {
  groupId: Uint8Array
  epoch: bigint
  kind: ContentKind
  /** Dak sends commits and proposals as PublicMessage, application data as PrivateMessage. */
  wire: 'public' | 'private'
}

function kindOf (contentType: number): ContentKind {
  if (contentType === contentTypes.application) return 'application'
  if (contentType === contentTypes.proposal) return 'proposal'
  if (contentType === contentTypes.commit) return 'commit'
  throw new MalformedInputError(`MLS message has unknown content type ${contentType}`)
}

export function frameOfMessage (message: MlsFramedMessage): Frame {
  if (message.wireformat === wireformats.mls_public_message) {
    const { groupId, epoch, contentType } = message.publicMessage.content
    return { groupId, epoch, kind: kindOf(contentType), wire: 'public' }
  }
  const { groupId, epoch, contentType } = message.privateMessage
  return { groupId, epoch, kind: kindOf(contentType), wire: 'private' }
}

/**
 * The cleartext framing of a group message. The sequencer (a department node that need
 * not be a member) uses it to accept the first commit of each epoch.
 */
export function frameOf (bytes: Uint8Array): Frame {
  return frameOfMessage(decodeFramed(bytes))
}

export function epochOf (bytes: Uint8Array): bigint {
  return frameOf(bytes).epoch
}

export function groupIdOf (bytes: Uint8Array): Uint8Array {
  return frameOf(bytes).groupId
}
