import { describe, expect, it } from 'vitest'
import * as protocolErrors from '../../protocol/src/errors.js'
import * as departmentErrors from '../../protocol/src/department/errors.js'
import * as departmentClientErrors from '../../node/src/department/errors.js'
import * as netErrors from '../../node/src/net/errors.js'
import * as storageErrors from '../../node/src/storage/errors.js'
import { BrowserOfflineError } from '../../node/src/device/department-link.js'
import { InsecureEnrolmentError } from '../../node/src/device/enrol-errors.js'
import { PeerNotConnectedError } from '../../node/src/device/mesh-adapter.js'
import { UnknownOfficerError } from '../../node/src/messenger/directory.js'
import { CommitLostRaceError, SequencerUnreachableError } from '../../node/src/messenger/membership.js'
import { UnknownConversationError, UnknownSenderError } from '../../node/src/messenger/messenger.js'
import { WaitingForMembersError } from '../../node/src/messenger/outgoing.js'
import { MissingGroupError } from '../../node/src/messenger/sealing.js'
import * as closedErrors from '../../node/src/messenger/closed.js'
import * as callErrors from '../../node/src/calls/errors.js'
import * as browserCallErrors from './calls/errors.js'
import * as browserFileErrors from './files/errors.js'
import { NoAttachmentError } from '../../node/src/messenger/files/attachments.js'
import { LinkInviteMismatchError, LinkUnavailableError } from '../../node/src/messenger/linked-devices.js'
import { ERROR_TEXTS, GENERIC_TEXT } from './error-texts.js'
import { errorParts, readableError } from './errors.js'
import { DeviceInUseError } from './platform/device-lock.js'
import * as browserErrors from './platform/errors.js'

/** Every error class a module exports, by the name its instances carry. */
function errorNames (module: Record<string, unknown>): string[] {
  return Object.values(module)
    .filter((value): value is new (...args: string[]) => Error => typeof value === 'function' && value.prototype instanceof Error)
    .map(ErrorClass => new ErrorClass('a', 'b').name)
}

/** Base classes never thrown as such. */
const ABSTRACT = new Set(['DakError', 'DakBrowserError'])

/** Every typed error that can reach the web client: thrown by a messenger call, emitted as 'error', or from enrolment. */
const REACHABLE = [
  ...errorNames(protocolErrors),
  ...errorNames(netErrors),
  ...errorNames(departmentErrors),
  ...errorNames(departmentClientErrors),
  ...errorNames(storageErrors),
  ...errorNames(browserErrors),
  ...errorNames(closedErrors),
  ...errorNames(callErrors),
  ...errorNames(browserCallErrors),
  ...errorNames(browserFileErrors),
  ...[BrowserOfflineError, PeerNotConnectedError, UnknownOfficerError, CommitLostRaceError, SequencerUnreachableError,
    UnknownConversationError, UnknownSenderError, WaitingForMembersError, NoAttachmentError, MissingGroupError, DeviceInUseError, InsecureEnrolmentError, LinkUnavailableError, LinkInviteMismatchError].map(E => new E('a').name)
].filter(name => !ABSTRACT.has(name))

/** Words an officer should not have to know. */
const JARGON = /key ?package|epoch|\bMLS\b|\btopic|envelope|commit|sequencer|certificate|quota|base64|libp2p|gossip|peer ?id|registration|\bRPC\b|stream|\bError\b/i

function sentences (text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter(s => s !== '')
}

describe('readableError', () => {
  it('has its own plain text for every typed error the client can receive', () => {
    expect(REACHABLE.length).toBeGreaterThan(50)
    expect(REACHABLE).toEqual(expect.arrayContaining(['DeviceRevokedError', 'ConversationClosedError', 'QuotaExceededError', 'CertificateTimeoutError']))
    const missing = REACHABLE.filter(name => !Object.hasOwn(ERROR_TEXTS, name))
    expect(missing).toEqual([])
    for (const name of REACHABLE) expect(readableError({ name, message: 'x' }).text).not.toBe(GENERIC_TEXT)
  })

  it('says what happened and what to do, in plain words, for every error', () => {
    for (const [name, text] of Object.entries(ERROR_TEXTS)) {
      expect(text, name).not.toMatch(JARGON)
      expect(sentences(text).length, `${name}: "${text}"`).toBeGreaterThanOrEqual(2)
    }
    expect(GENERIC_TEXT).not.toMatch(JARGON)
  })

  it('turns the key-package quota banner of issue 10 into plain words and keeps the detail for IT', () => {
    const result = readableError({ name: 'QuotaExceededError', message: 'a device may keep at most 100 key packages here (has 96, uploading 8)' })
    expect(result.text).toMatch(/^Your department node already holds as much as it allows for this device/)
    expect(result.text).not.toContain('key package')
    expect(result.detail).toBe('QuotaExceededError: a device may keep at most 100 key packages here (has 96, uploading 8)')
  })

  it('tells the browser\'s own storage quota from the department node\'s', () => {
    expect(readableError(new DOMException('The quota has been exceeded.', 'QuotaExceededError')).text).toMatch(/^This browser has no storage space left/)
  })

  it('explains the errors an officer meets most', () => {
    expect(readableError({ name: 'InviteAlreadyUsedError', message: 'invite already used' }).text).toMatch(/already been used.*new one/)
    expect(readableError({ name: 'DeviceRevokedError', message: '' }).text).toMatch(/access was withdrawn by your department.*Ask your department IT/)
    expect(readableError({ name: 'ConversationClosedError', message: '' }).text).toMatch(/no longer send messages in this conversation/)
    expect(readableError({ name: 'UnknownOfficerError', message: 'no officer "nobody"' }).text).toMatch(/^No officer by that name/)
    expect(readableError({ name: 'CertificateTimeoutError', message: 'no certificate within 5000 ms' }).text).toMatch(/took too long to show who it is/)
    expect(readableError({ name: 'RequestTimeoutError', message: 'request timed out' }).text).toMatch(/did not answer in time/)
  })

  it('reads network failures from fetch as network failures, whatever the browser calls them', () => {
    for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed', 'fetch failed']) {
      expect(readableError(new TypeError(message)).text).toMatch(/could not reach your department node/)
    }
    // any other TypeError is a fault, not the network
    expect(readableError(new TypeError('x is not a function')).text).toBe(GENERIC_TEXT)
  })

  it('says a too-long message is too long, and other invalid input generically', () => {
    expect(readableError({ name: 'InvalidArgumentError', message: 'message text is longer than 32768 bytes' }).text).toMatch(/^This message is too long to send/)
    expect(readableError({ name: 'InvalidArgumentError', message: 'handle must be 1-32 characters' }).text).toBe(ERROR_TEXTS.InvalidArgumentError)
  })

  it('gives unknown errors a plain sentence and keeps their name and message as the detail', () => {
    expect(readableError(new RangeError('boom'))).toEqual({ name: 'RangeError', text: GENERIC_TEXT, detail: 'RangeError: boom' })
    expect(readableError({ name: 'constructor', message: '' })).toEqual({ name: 'constructor', text: GENERIC_TEXT, detail: 'constructor' })
    expect(readableError(undefined)).toEqual({ name: 'Error', text: GENERIC_TEXT, detail: 'Error' })
  })
})

describe('errorParts', () => {
  it('accepts errors that crossed a worker boundary as plain objects', () => {
    expect(errorParts({ name: 'MlsError', message: 'wrong epoch' })).toEqual({ name: 'MlsError', message: 'wrong epoch' })
    expect(errorParts('plain text')).toEqual({ name: 'Error', message: 'plain text' })
    expect(errorParts({ name: 42 })).toEqual({ name: 'Error', message: '' })
  })
})
