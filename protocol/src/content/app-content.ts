import { FORMAT_VERSION } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { InvalidArgumentError, MalformedInputError } from '../errors.js'
import { AppContent, ContentKind, ReceiptType } from '../wire/generated/content.js'
import { PRECEDENCE_CARRIERS, checkPrecedence, precedenceFromWire, precedenceToWire, type Precedence } from './precedence.js'
import { checkDirectiveShape, type SignedDirective } from './directive.js'
import { AMENDMENT_KINDS, amendmentFromWire, amendmentToWire, checkAmendment, type AmendmentContent } from './amendments.js'
import { CLIENT_ID_BYTES, MAX_APP_CONTENT_BYTES, MAX_RECEIPT_IDS, MESSAGE_ID_BYTES } from './limits.js'
import { checkText } from './text.js'
import { checkManifest, manifestFromWire, manifestToWire, type FileManifest } from '../files/manifest.js'
import { MAX_FILE_CHUNKS } from '../files/limits.js'
import { MAX_ENVELOPE_LIFETIME_MS } from '../envelope/envelope.js'
import { MAX_DEVICE_VOUCH_BYTES } from '../identity/device-vouch.js'
import { MAX_CERTIFICATE_BYTES } from '../constants.js'
import { HISTORY_REQUEST_ID_BYTES } from '../history/history-part.js'

/**
 * What is inside an MLS application message, as a union the messenger can
 * switch on. Only group members ever see it; the envelope around the MLS
 * ciphertext is all that relays and stores get.
 */

interface CommonContent {
  /** CLIENT_ID_BYTES random bytes from the sender: the same message keeps it when re-sent after a fork. */
  clientId: Uint8Array
}

/** A chat message's precedence (precedence.ts); absent means routine. */
interface GradedContent {
  precedence?: Precedence
}

export interface TextContent extends CommonContent, GradedContent {
  kind: 'text'
  text: string
  /** Message id (envelope hash) this answers. */
  replyTo?: Uint8Array
}

export interface ReceiptContent extends CommonContent {
  kind: 'receipt'
  type: 'delivered' | 'read'
  /** Message ids acknowledged, 1 to MAX_RECEIPT_IDS. */
  messageIds: Uint8Array[]
  /** ms since epoch, when delivered or read. */
  at: number
}

export interface DirectiveContent extends CommonContent, GradedContent {
  kind: 'directive'
  directive: SignedDirective
  replyTo?: Uint8Array
}

/** Conversation title and kind: the Welcome cannot carry them, so an admin sends this after adding members. */
export interface InfoContent extends CommonContent {
  kind: 'info'
  title: string
  direct: boolean
}

// ---- attachments (docs/files.md)
/** A file, image or voice note: its manifest (key included); the chunks travel apart, encrypted. */
export interface FileContent extends CommonContent, GradedContent {
  kind: 'file'
  file: FileManifest
}

// ---- disappearing messages (docs/messenger.md)
/** An admin set the conversation's timer: messages sent from now on disappear `timerMs` after sending; 0 turns it off. */
export interface TimerContent extends CommonContent {
  kind: 'timer'
  timerMs: number
}

// ---- linked devices (issue 16 part 1; docs/messenger.md, *Linked devices*)
/** "Device K2 is mine too": the sender's signed vouch (identity/device-vouch.ts) and K2's certificate. */
export interface DeviceVouchContent extends CommonContent {
  kind: 'device-vouch'
  vouch: Uint8Array
  linkedCertificate: Uint8Array
}

/**
 * A device that joined asks one other device of its own officer for what was
 * written before (docs/messenger.md, *History transfer*): the answer is sealed
 * to `publicKey`, an HPKE key of the conversation's suite made for this request.
 */
export interface HistoryRequestContent extends CommonContent {
  kind: 'history-request'
  requestId: Uint8Array
  publicKey: Uint8Array
  askedDevice: Uint8Array
}

/**
 * The officer removed another of their devices (`dak device remove`): sent in
 * every open conversation, so a contact who accepted that device but shares no
 * conversation with it (and so never sees the removal commit) adds it nowhere again.
 */
export interface DeviceDisownContent extends CommonContent {
  kind: 'device-disown'
  deviceKey: Uint8Array
}

/** X-Wing's public key is 1,216 bytes; room for a larger suite. */
const MAX_HISTORY_KEY_BYTES = 4096

// issue 16: edits, deletions and directive acknowledgements live in amendments.ts
export type Content = TextContent | ReceiptContent | DirectiveContent | InfoContent | FileContent | TimerContent | AmendmentContent | DeviceVouchContent | HistoryRequestContent | DeviceDisownContent

const RECEIPT_TYPES = { delivered: ReceiptType.DELIVERED, read: ReceiptType.READ } as const

/** Everything a well-formed Content must satisfy; throws InvalidArgumentError. */
function checkContent (content: Content): void {
  if (content.clientId.length !== CLIENT_ID_BYTES) throw new InvalidArgumentError(`client id must be ${CLIENT_ID_BYTES} bytes`)
  if ((content.kind === 'text' || content.kind === 'directive') && content.replyTo != null && content.replyTo.length !== MESSAGE_ID_BYTES) {
    throw new InvalidArgumentError(`reply-to must be a ${MESSAGE_ID_BYTES}-byte message id`)
  }
  const precedence = (content as GradedContent).precedence
  if (precedence !== undefined) {
    checkPrecedence(precedence)
    if (!PRECEDENCE_CARRIERS.has(content.kind)) throw new InvalidArgumentError('only a text, directive or file carries a precedence')
  }
  if (AMENDMENT_KINDS.has(content.kind)) return checkAmendment(content as AmendmentContent)
  switch (content.kind) {
    case 'text':
      checkText(content.text, 'message text')
      return
    case 'directive':
      checkDirectiveShape(content.directive)
      return
    case 'info':
      checkText(content.title, 'conversation title')
      if (typeof content.direct !== 'boolean') throw new InvalidArgumentError('info must say whether the conversation is direct')
      return
    case 'receipt':
      if (content.type !== 'delivered' && content.type !== 'read') throw new InvalidArgumentError('receipt type must be delivered or read')
      if (content.messageIds.length === 0 || content.messageIds.length > MAX_RECEIPT_IDS) throw new InvalidArgumentError(`a receipt acknowledges 1 to ${MAX_RECEIPT_IDS} messages`)
      if (content.messageIds.some(id => id.length !== MESSAGE_ID_BYTES)) throw new InvalidArgumentError(`receipt message ids must be ${MESSAGE_ID_BYTES} bytes`)
      if (!Number.isSafeInteger(content.at) || content.at < 0) throw new InvalidArgumentError('receipt time must be a non-negative integer')
      return
    case 'file': // attachments (docs/files.md)
      checkManifest(content.file)
      return
    case 'device-vouch': // linked devices: the signature is checked by the receiver (verifyDeviceVouch), the sizes here
      if (content.vouch.length === 0 || content.vouch.length > MAX_DEVICE_VOUCH_BYTES) throw new InvalidArgumentError(`a device vouch is 1 to ${MAX_DEVICE_VOUCH_BYTES} bytes`)
      if (content.linkedCertificate.length === 0 || content.linkedCertificate.length > MAX_CERTIFICATE_BYTES) throw new InvalidArgumentError(`a vouched device's certificate is 1 to ${MAX_CERTIFICATE_BYTES} bytes`)
      return
    case 'history-request': // history transfer
      if (content.requestId.length !== HISTORY_REQUEST_ID_BYTES) throw new InvalidArgumentError(`a history request id is ${HISTORY_REQUEST_ID_BYTES} bytes`)
      if (content.publicKey.length === 0 || content.publicKey.length > MAX_HISTORY_KEY_BYTES) throw new InvalidArgumentError(`a history request's key is 1 to ${MAX_HISTORY_KEY_BYTES} bytes`)
      if (content.askedDevice.length !== 32) throw new InvalidArgumentError('a history request names the asked device by its 32-byte key')
      return
    case 'device-disown': // linked devices
      if (content.deviceKey.length !== 32) throw new InvalidArgumentError('a disowned device is named by its 32-byte key')
      return
    case 'timer': // disappearing messages
      if (!Number.isSafeInteger(content.timerMs) || content.timerMs < 0 || content.timerMs > MAX_ENVELOPE_LIFETIME_MS) throw new InvalidArgumentError(`a timer is 0 (off) to ${MAX_ENVELOPE_LIFETIME_MS} ms`)
      return
    default:
      throw new InvalidArgumentError('unknown content kind')
  }
}

export function encodeAppContent (content: Content): Uint8Array {
  checkContent(content)
  const common = { version: FORMAT_VERSION, clientId: content.clientId, precedence: precedenceToWire((content as GradedContent).precedence) }
  let bytes: Uint8Array
  switch (content.kind) {
    case 'text':
      bytes = AppContent.encode({ ...common, kind: ContentKind.TEXT, text: content.text, replyTo: content.replyTo })
      break
    case 'directive':
      bytes = AppContent.encode({ ...common, kind: ContentKind.DIRECTIVE, directive: content.directive, replyTo: content.replyTo })
      break
    case 'info':
      bytes = AppContent.encode({ ...common, kind: ContentKind.INFO, title: content.title, direct: content.direct })
      break
    case 'receipt':
      bytes = AppContent.encode({ ...common, kind: ContentKind.RECEIPT, receipt: { type: RECEIPT_TYPES[content.type], messageIds: content.messageIds, at: content.at } })
      break
    case 'file': // attachments (docs/files.md)
      bytes = AppContent.encode({ ...common, kind: ContentKind.FILE, file: manifestToWire(content.file) })
      break
    case 'timer': // disappearing messages
      bytes = AppContent.encode({ ...common, kind: ContentKind.TIMER, timerMs: content.timerMs })
      break
    case 'device-vouch': // linked devices
      bytes = AppContent.encode({ ...common, kind: ContentKind.DEVICE_VOUCH, deviceVouch: content.vouch, linkedCertificate: content.linkedCertificate })
      break
    case 'device-disown': // linked devices
      bytes = AppContent.encode({ ...common, kind: ContentKind.DEVICE_DISOWN, disownedDevice: content.deviceKey })
      break
    case 'history-request': // history transfer
      bytes = AppContent.encode({ ...common, kind: ContentKind.HISTORY_REQUEST, historyRequest: { requestId: content.requestId, publicKey: content.publicKey, askedDevice: content.askedDevice } })
      break
    default:
      bytes = AppContent.encode({ ...common, ...amendmentToWire(content) })
  }
  // Cannot happen with the checks above; kept so a limit change that breaks the invariant fails loudly.
  if (bytes.length > MAX_APP_CONTENT_BYTES) throw new InvalidArgumentError(`content of ${bytes.length} bytes is over the limit of ${MAX_APP_CONTENT_BYTES}`)
  return bytes
}

function kindName (kind: ContentKind): string {
  return kind === ContentKind.TEXT ? 'text' : kind === ContentKind.DIRECTIVE ? 'directive' : kind === ContentKind.FILE ? 'file' : ''
}

/** The wire form to the union, refusing fields that do not belong to the kind. */
function fromWire (wire: AppContent): Content {
  if (wire.version !== FORMAT_VERSION) throw new InvalidArgumentError(`content version ${wire.version} is not supported`)
  const replyTo = wire.replyTo.length > 0 ? wire.replyTo : undefined
  if (wire.file != null && wire.kind !== ContentKind.FILE) throw new InvalidArgumentError('only file content carries a file manifest') // attachments
  const precedence = precedenceFromWire(wire.precedence)
  const graded = precedence === 'routine' ? {} : { precedence }
  if (precedence !== 'routine' && !PRECEDENCE_CARRIERS.has(kindName(wire.kind))) throw new InvalidArgumentError('only a text, directive or file carries a precedence')
  const amendment = amendmentFromWire(wire)
  if (amendment != null) return amendment
  if (wire.target.length > 0 || wire.directiveAck != null) throw new InvalidArgumentError('only an edit, deletion or acknowledgement names a target or carries an acknowledgement')
  if ((wire.deviceVouch.length > 0 || wire.linkedCertificate.length > 0) !== (wire.kind === ContentKind.DEVICE_VOUCH)) throw new InvalidArgumentError('a device vouch, and only it, carries a vouch and a certificate')
  if ((wire.historyRequest != null) !== (wire.kind === ContentKind.HISTORY_REQUEST)) throw new InvalidArgumentError('a history request, and only it, carries a request')
  if ((wire.disownedDevice.length > 0) !== (wire.kind === ContentKind.DEVICE_DISOWN)) throw new InvalidArgumentError('a device disowned, and only that, names a disowned device')
  switch (wire.kind) {
    case ContentKind.TEXT:
      if (wire.receipt != null || wire.directive != null) throw new InvalidArgumentError('text content carries a receipt or directive')
      return { kind: 'text', text: wire.text, clientId: wire.clientId, ...graded, ...(replyTo != null ? { replyTo } : {}) }
    case ContentKind.DIRECTIVE:
      if (wire.directive == null || wire.receipt != null || wire.text !== '') throw new InvalidArgumentError('directive content must carry a directive and nothing else')
      return { kind: 'directive', directive: wire.directive, clientId: wire.clientId, ...graded, ...(replyTo != null ? { replyTo } : {}) }
    case ContentKind.RECEIPT: {
      if (wire.receipt == null || wire.directive != null || wire.text !== '' || replyTo != null) throw new InvalidArgumentError('receipt content must carry a receipt and nothing else')
      const type = wire.receipt.type === ReceiptType.DELIVERED ? 'delivered' : wire.receipt.type === ReceiptType.READ ? 'read' : undefined
      if (type == null) throw new InvalidArgumentError('receipt type must be delivered or read')
      return { kind: 'receipt', type, messageIds: wire.receipt.messageIds, at: wire.receipt.at, clientId: wire.clientId }
    }
    case ContentKind.INFO:
      if (wire.receipt != null || wire.directive != null || wire.text !== '' || replyTo != null) throw new InvalidArgumentError('info content must carry a title and nothing else')
      return { kind: 'info', title: wire.title, direct: wire.direct, clientId: wire.clientId }
    case ContentKind.FILE: // attachments (docs/files.md)
      if (wire.file == null || wire.receipt != null || wire.directive != null || wire.text !== '' || wire.title !== '' || replyTo != null) throw new InvalidArgumentError('file content must carry a manifest and nothing else')
      return { kind: 'file', file: manifestFromWire(wire.file), clientId: wire.clientId, ...graded }
    case ContentKind.TIMER: // disappearing messages
      if (wire.receipt != null || wire.directive != null || wire.text !== '' || wire.title !== '' || replyTo != null) throw new InvalidArgumentError('timer content must carry a timer and nothing else')
      return { kind: 'timer', timerMs: wire.timerMs, clientId: wire.clientId }
    case ContentKind.DEVICE_VOUCH: // linked devices
      if (wire.receipt != null || wire.directive != null || wire.text !== '' || wire.title !== '' || replyTo != null) throw new InvalidArgumentError('device vouch content must carry a vouch and a certificate and nothing else')
      return { kind: 'device-vouch', vouch: wire.deviceVouch, linkedCertificate: wire.linkedCertificate, clientId: wire.clientId }
    case ContentKind.DEVICE_DISOWN: // linked devices
      if (wire.receipt != null || wire.directive != null || wire.text !== '' || wire.title !== '' || replyTo != null) throw new InvalidArgumentError('a device disowned must name the device and nothing else')
      return { kind: 'device-disown', deviceKey: wire.disownedDevice, clientId: wire.clientId }
    case ContentKind.HISTORY_REQUEST: { // history transfer
      const request = wire.historyRequest
      if (request == null || wire.receipt != null || wire.directive != null || wire.text !== '' || wire.title !== '' || replyTo != null) throw new InvalidArgumentError('a history request must carry a request and nothing else')
      return { kind: 'history-request', requestId: request.requestId, publicKey: request.publicKey, askedDevice: request.askedDevice, clientId: wire.clientId }
    }
    default:
      throw new InvalidArgumentError('content kind is not set')
  }
}

/**
 * Decode a decrypted MLS application message. Bounded before parsing; every
 * failure is a MalformedInputError or TooLargeError. A directive's signature is
 * not checked here (that needs the trust bundle): call verifyDirective.
 */
export function decodeAppContent (bytes: Uint8Array): Content {
  const wire = decodeBounded(AppContent, bytes, MAX_APP_CONTENT_BYTES, 'app content', { limits: { receipt: { messageIds: MAX_RECEIPT_IDS }, file: { chunkHashes: MAX_FILE_CHUNKS } } })
  try {
    const content = fromWire(wire)
    checkContent(content)
    return content
  } catch (err) {
    throw new MalformedInputError(`app content: ${(err as Error).message}`)
  }
}
