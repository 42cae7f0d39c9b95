import { sha256 } from '@noble/hashes/sha2.js'
import { ED25519_PUBLIC_KEY_BYTES, FORMAT_VERSION, INVITE_SECRET_BYTES, MAX_INVITE_BYTES } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { bytesEqual, concatBytes, fromBase64Url, toBase64Url, utf8 } from '../bytes.js'
import { DakError, InvalidArgumentError, InvalidInviteError } from '../errors.js'
import { InviteTicket } from '../wire/generated/identity.js'
import { checkDepartment, checkHandle, checkLabel } from './names.js'

export { InviteTicket }

/**
 * One-time enrolment invites. The admin's department node makes one per
 * officer; the officer's new device redeems it (enrolment protocol, in node/)
 * by presenting the secret with its public keys.
 *
 * The same invite travels three ways: the typed `code` (secret only: the
 * device must already know which department node to reach, e.g. from the
 * LAN), the `url` for a QR code (the whole ticket: department, authority key,
 * node addresses, who it is for), and an https link carrying the same ticket
 * in its fragment. All three carry the secret: whoever holds any of them can
 * enrol once, until it expires, so they are handed over like a password.
 */

/** Scheme of the QR payload. Lower case: the payload is base64url, so the QR is byte mode anyway. */
export const INVITE_URL_PREFIX = 'dak:invite/'
/** Fragment parameter of the https link. A fragment is never sent to the web server, so the secret stays out of its logs. */
export const INVITE_FRAGMENT_PARAM = 'invite'
/** A multiaddr with a certhash (WebRTC-Direct) is ~200 characters; nothing legitimate is longer. */
export const MAX_NODE_ADDR_BYTES = 256
/** The ticket's repeated-field bound, the same number as the limit in identity.proto. */
export const MAX_INVITE_NODE_ADDRS = 16
/** Longest text decodeInvite looks at: base64url of the largest ticket plus room for a long base URL. */
const MAX_INVITE_TEXT_CHARS = Math.ceil(MAX_INVITE_BYTES / 3) * 4 + 2048
/** Domain of the stored hash, so it can never collide with a hash of anything else. */
const SECRET_HASH_DOMAIN = 'dak/v1/invite-secret'

export interface InviteFields {
  department: string
  authorityPublicKey: Uint8Array
  /** The officer the invite is for: the certificate will carry these. */
  handle: string
  displayName: string
  title: string
  /** ms since epoch; the invite is refused from this instant on. */
  expiresAt: number
  /** Multiaddrs of the department node(s) that enrol. */
  nodeAddrs: string[]
}

export interface CreateInviteOptions extends InviteFields {
  /** Injected so protocol/ stays deterministic under test; a CSPRNG in production. */
  randomBytes: (n: number) => Uint8Array
}

export interface Invite {
  ticket: InviteTicket
  /** What an officer types: "DAK-XXXX-XXXX-XXXX-XXXX-C". */
  code: string
  /** What a QR code carries: "dak:invite/<base64url of bytes>". */
  url: string
  /** The encoded InviteTicket. */
  bytes: Uint8Array
}

/*
 * The typed code: the 80-bit secret as 16 Crockford base32 symbols and one
 * check symbol, "DAK-XXXX-XXXX-XXXX-XXXX-C".
 *
 * Why not Crockford's own mod-37 check: its extra symbols (* ~ $ = U) are
 * awkward on phone keyboards. Instead the check symbol c satisfies
 *   c = Σ α^(i+1) · d_i   over GF(32) (α a root of x^5 + x^2 + 1),
 * i.e. every symbol, the check included (weight α^0), has a distinct non-zero
 * weight. So any single wrong symbol and any swap of two different symbols
 * anywhere in the code is always caught; other typos slip through 1 time in 32.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_PREFIX = 'DAK'
const CODE_SYMBOLS = (INVITE_SECRET_BYTES * 8) / 5
/** Longest text parseInviteCode looks at: the code with generous spacing, not a pasted document. */
const MAX_CODE_TEXT_CHARS = 64

/** exp/log tables of GF(32) with the primitive polynomial x^5 + x^2 + 1 (α has order 31). */
const GF_EXP: number[] = []
const GF_LOG: number[] = new Array<number>(32).fill(0)
for (let i = 0, x = 1; i < 31; i++) {
  GF_EXP[i] = x
  GF_LOG[x] = i
  x <<= 1
  if ((x & 0x20) !== 0) x ^= 0x25
}

function gfMulAlphaPower (value: number, power: number): number {
  if (value === 0) return 0
  return GF_EXP[((GF_LOG[value] ?? 0) + power) % 31] ?? 0
}

function checkSymbol (symbols: number[]): number {
  let check = 0
  symbols.forEach((symbol, i) => { check ^= gfMulAlphaPower(symbol, i + 1) })
  return check
}

/** Format a secret as "DAK-XXXX-XXXX-XXXX-XXXX-C". */
export function formatInviteCode (secret: Uint8Array): string {
  if (secret.length !== INVITE_SECRET_BYTES) throw new InvalidArgumentError(`invite secret must be ${INVITE_SECRET_BYTES} bytes`)
  const symbols: number[] = []
  let buffer = 0
  let bits = 0
  for (const byte of secret) {
    buffer = ((buffer << 8) | byte) & 0x1fff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      symbols.push((buffer >> bits) & 31)
    }
  }
  const text = [...symbols, checkSymbol(symbols)].map(s => ALPHABET[s]).join('')
  return [CODE_PREFIX, text.slice(0, 4), text.slice(4, 8), text.slice(8, 12), text.slice(12, 16), text.slice(16)].join('-')
}

/**
 * Read a typed code back into the secret. Case-insensitive; spaces and dashes
 * anywhere; O is read as 0 and I, L as 1 (Crockford); the "DAK" prefix is
 * optional. A typo is an InvalidInviteError, never a different secret.
 */
export function parseInviteCode (text: string): Uint8Array {
  if (typeof text !== 'string' || text.length > MAX_CODE_TEXT_CHARS) throw new InvalidInviteError('invite code is too long')
  let compact = text.toUpperCase().replace(/[\s-]/g, '')
  if (compact.length === CODE_SYMBOLS + 1 + CODE_PREFIX.length && compact.startsWith(CODE_PREFIX)) compact = compact.slice(CODE_PREFIX.length)
  if (compact.length !== CODE_SYMBOLS + 1) throw new InvalidInviteError(`invite code must have ${CODE_SYMBOLS + 1} characters after "${CODE_PREFIX}"`)
  const symbols: number[] = []
  for (const char of compact.replace(/O/g, '0').replace(/[IL]/g, '1')) {
    const value = ALPHABET.indexOf(char)
    if (value < 0) throw new InvalidInviteError(`"${char}" is not a character of invite codes`)
    symbols.push(value)
  }
  const check = symbols.pop()
  if (check !== checkSymbol(symbols)) throw new InvalidInviteError('invite code has a typo (check character does not match)')
  const secret = new Uint8Array(INVITE_SECRET_BYTES)
  let buffer = 0
  let bits = 0
  let index = 0
  for (const symbol of symbols) {
    buffer = ((buffer << 5) | symbol) & 0xfff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      secret[index++] = (buffer >> bits) & 0xff
    }
  }
  return secret
}

function checkTicket (ticket: InviteTicket): void {
  if (ticket.version !== FORMAT_VERSION) throw new InvalidArgumentError(`invite version ${ticket.version} is not supported`)
  checkDepartment(ticket.department)
  checkHandle(ticket.handle)
  checkLabel(ticket.displayName, 'display name')
  checkLabel(ticket.title, 'title')
  if (ticket.authorityPublicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError('invite authority key must be a 32-byte Ed25519 public key')
  if (ticket.secret.length !== INVITE_SECRET_BYTES) throw new InvalidArgumentError(`invite secret must be ${INVITE_SECRET_BYTES} bytes`)
  if (!Number.isSafeInteger(ticket.expiresAt) || ticket.expiresAt <= 0) throw new InvalidArgumentError('invite expiry must be a positive integer (ms since epoch)')
  if (ticket.nodeAddrs.length > MAX_INVITE_NODE_ADDRS) throw new InvalidArgumentError(`an invite names at most ${MAX_INVITE_NODE_ADDRS} node addresses`)
  for (const addr of ticket.nodeAddrs) {
    // Multiaddrs are printable ASCII without spaces; anything else is not an address.
    if (addr.length === 0 || addr.length > MAX_NODE_ADDR_BYTES || !/^[\x21-\x7e]+$/.test(addr)) {
      throw new InvalidArgumentError(`node address "${addr.slice(0, 40)}" is not a printable multiaddr of 1-${MAX_NODE_ADDR_BYTES} characters`)
    }
  }
}

export function createInvite (options: CreateInviteOptions): Invite {
  const secret = options.randomBytes(INVITE_SECRET_BYTES)
  const ticket: InviteTicket = {
    version: FORMAT_VERSION,
    department: options.department,
    authorityPublicKey: options.authorityPublicKey,
    secret,
    expiresAt: options.expiresAt,
    nodeAddrs: [...options.nodeAddrs],
    handle: options.handle,
    displayName: options.displayName,
    title: options.title
  }
  checkTicket(ticket)
  const bytes = InviteTicket.encode(ticket)
  if (bytes.length > MAX_INVITE_BYTES) throw new InvalidArgumentError(`invite of ${bytes.length} bytes is over the limit of ${MAX_INVITE_BYTES}`)
  return { ticket, code: formatInviteCode(secret), url: INVITE_URL_PREFIX + toBase64Url(bytes), bytes }
}

/**
 * An https link that opens the web client with the invite, e.g.
 * inviteLink('https://dak.mof.gov.example/', invite.bytes) →
 * 'https://dak.mof.gov.example/#invite=CAES…'. Any fragment of baseUrl is replaced.
 */
export function inviteLink (baseUrl: string, ticketBytes: Uint8Array): string {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new InvalidArgumentError('invite link base is not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError('invite link base must be an http(s) URL')
  url.hash = ''
  return `${url.href.replace(/#$/, '')}#${INVITE_FRAGMENT_PARAM}=${toBase64Url(ticketBytes)}`
}

/** The base64url part of a QR payload or https link, or an InvalidInviteError. */
function ticketTextOf (text: string): string {
  if (text.length > MAX_INVITE_TEXT_CHARS) throw new InvalidInviteError('invite text is too long')
  const trimmed = text.trim()
  if (trimmed.slice(0, INVITE_URL_PREFIX.length).toLowerCase() === INVITE_URL_PREFIX) return trimmed.slice(INVITE_URL_PREFIX.length)
  const hash = trimmed.indexOf('#')
  if (hash >= 0) {
    const value = new URLSearchParams(trimmed.slice(hash + 1)).get(INVITE_FRAGMENT_PARAM)
    if (value != null) return value
  }
  throw new InvalidInviteError(`not an invite: expected "${INVITE_URL_PREFIX}…" or a link with "#${INVITE_FRAGMENT_PARAM}=…"`)
}

/**
 * Decode an invite from its bytes, its QR payload or its https link. Does not
 * judge freshness (checkInviteFresh) or whether it was used (the node's job).
 * Every failure is an InvalidInviteError.
 */
export function decodeInvite (input: Uint8Array | string): InviteTicket {
  let bytes: Uint8Array
  if (typeof input === 'string') {
    const text = ticketTextOf(input)
    try {
      bytes = fromBase64Url(text)
    } catch {
      throw new InvalidInviteError('invite is not valid base64url')
    }
  } else {
    bytes = input
  }
  try {
    const ticket = decodeBounded(InviteTicket, bytes, MAX_INVITE_BYTES, 'invite')
    checkTicket(ticket)
    return ticket
  } catch (err) {
    if (err instanceof InvalidInviteError) throw err
    // Not "malformed" or "too large" as elsewhere: the UI has one thing to say about a bad invite.
    throw new InvalidInviteError(err instanceof DakError ? err.message : 'invite does not decode')
  }
}

/** Throws InvalidInviteError when the invite has expired at `now` (ms since epoch). */
export function checkInviteFresh (ticket: InviteTicket, now: number): void {
  if (now >= ticket.expiresAt) throw new InvalidInviteError(`invite expired at ${new Date(ticket.expiresAt).toISOString()}`)
}

/**
 * What the node stores instead of the secret, so a copy of its database cannot
 * be used to enrol. A fast hash is enough: the secret is 80 random bits, far
 * beyond offline guessing, unlike a password.
 */
export function hashInviteSecret (secret: Uint8Array): Uint8Array {
  if (secret.length !== INVITE_SECRET_BYTES) throw new InvalidArgumentError(`invite secret must be ${INVITE_SECRET_BYTES} bytes`)
  return sha256(concatBytes(utf8(SECRET_HASH_DOMAIN), new Uint8Array([0]), secret))
}

/** Constant-time check of a presented secret against a stored hash. */
export function inviteSecretMatches (secret: Uint8Array, storedHash: Uint8Array): boolean {
  if (secret.length !== INVITE_SECRET_BYTES) return false
  return bytesEqual(hashInviteSecret(secret), storedHash)
}
