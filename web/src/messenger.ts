/**
 * The one place web/ names the messenger contract. The UI depends on these
 * types only, never on an implementation, so the real browser messenger and
 * test doubles plug in through `mountApp` (see app.tsx).
 */
export type {
  ChatMessage,
  ConnectionStatus,
  ConversationSummary,
  DeviceSummary,
  HistoryPage,
  HistoryTransferStatus,
  LinkCode,
  VouchOutcome,
  MessageState,
  Messenger,
  Precedence,
  MessengerEvents,
  OfficerSummary,
  SafetyNumber,
  // issue 16
  DirectiveStatus,
  // issue 15
  AutoDownload,
  SearchHit
} from '@dak/node/messenger/api'

import type { Messenger } from '@dak/node/messenger/api'
import type { Calls } from './calls/types.js'
import type { PinPolicy } from './state/pin-policy.js'

/** What the browser platform gives the UI: enrolment, and the messenger once enrolled. */
export interface Platform {
  /** Resolves to null when this browser has not been enrolled yet. With a PIN lock set, `pin` unlocks it (else PinRequiredError). */
  openMessenger: (pin?: string) => Promise<Messenger | null>
  /** Enrols this device from an invite link or code; rejects with `{ name, message }`. */
  /** `onPending`: the department signs devices offline and has not signed this one yet; the page keeps asking (up to an hour). */
  enrol: (inviteUrlOrCode: string, options?: { onPending?: () => void }) => Promise<void>
  /** Voice and video calls for an open messenger (docs/calls.md); absent or undefined: no call buttons. */
  calls?: (messenger: Messenger) => Calls | undefined
  /** Set when the department had this device wiped (remote wipe): who ordered it and when; the enrol screen says so. */
  wipedNotice?: () => { department: string, orderedAt: number } | null
  /** The optional PIN or passphrase lock (issue 14); absent: the app offers none. */
  pinLock?: PinLock
  /**
   * While the app is locked (no messenger open): keep asking the department
   * node for a wipe order naming this device, and erase it on a valid one
   * (docs/web.md, *Remote wipe while locked*); `onWiped` then restarts the page.
   * Returns the function that stops asking.
   */
  watchWipeWhileLocked?: (onWiped: () => void) => () => void
}

/** The PIN lock of this browser's storage key (docs/web.md, *PIN lock*). */
export interface PinLock {
  isSet: () => Promise<boolean>
  /** Set a PIN, or change it (then `currentPin` is required). Rejects with PinTooShortError, WrongPinError, PinAttemptsDelayError. */
  set: (newPin: string, currentPin?: string) => Promise<void>
  /** Remove the PIN: only with the PIN, and not when the department requires one (PinRequiredByDepartmentError). */
  remove: (currentPin: string, messenger: Messenger) => Promise<void>
  /** How long the open messenger may go unused before the app locks: the officer's choice, at most the department's. */
  lockAfterMs: (messenger: Messenger) => Promise<number>
  /** The department's PIN policy as this device last learnt it (state/pin-policy.ts). */
  policy: (messenger: Messenger) => Promise<PinPolicy>
  /** The officer's own lock delay (undefined: the department's); LockDelayTooLongError past the department's longest. */
  setLockAfterMs: (messenger: Messenger, ms: number | undefined) => Promise<void>
  /** The officer's own lock delay, if they chose one. */
  chosenLockAfterMs: (messenger: Messenger) => Promise<number | undefined>
}
