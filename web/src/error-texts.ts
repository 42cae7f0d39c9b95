/**
 * What each typed error the web client can receive means for the officer:
 * what happened, then what to do, in plain words. No protocol terms (key
 * package, epoch, certificate chain, topic): the technical name and message
 * stay in the details toggle for department IT (web/src/errors.ts).
 *
 * Keyed by `.name`, the way errors cross the messenger boundary (see
 * protocol/src/errors.ts). Grouped by where they come from.
 */

const ASK_IT = 'If it keeps happening, tell your department IT.'

/** Anything not listed below: still plain words, with the name in the details. */
export const GENERIC_TEXT = `Something went wrong and Dak could not finish what it was doing. Try again. ${ASK_IT}`

/** fetch() rejects with a bare TypeError when the network or the server cannot be reached. */
export const NETWORK_TEXT = 'Dak could not reach your department node. Check that this computer is connected to the network, then try again.'

/** The browser's own storage quota (a DOMException), not the department node's. */
export const BROWSER_STORAGE_FULL_TEXT = 'This browser has no storage space left for Dak, so it could not save. Free some space on this computer, then reload the page.'

/** An InvalidArgumentError about a message's length: the one an officer can cause by typing. */
export const MESSAGE_TOO_LONG_TEXT = 'This message is too long to send. Split it into shorter messages and send them one by one.'

export const ERROR_TEXTS: Readonly<Record<string, string>> = {
  // Enrolment (the invite, the department node's answer)
  InvalidInviteError: 'This invite cannot be used: it is incomplete or mistyped. Check the code, or open the invite link again. If it still fails, ask your department IT for a new invite.',
  UnknownInviteError: 'Your department node does not know this invite. Check that the code is typed correctly; if it is, ask your department IT for a new invite.',
  InviteAlreadyUsedError: 'This invite has already been used to enrol a device, and each invite works only once. Ask your department IT for a new one.',
  InviteExpiredError: 'This invite has expired. Ask your department IT for a new one.',
  TrustBundleMismatchError: 'The answer to this enrolment did not come from the department your invite names, so Dak refused it and saved nothing. Someone on the network may be interfering: use another network, or ask your department IT for the https:// address and a new invite.',
  UnendorsedAuthorityError: 'The answer to this enrolment named a second, unknown authority for your department, so Dak refused it and saved nothing. Someone on the network may be interfering: use another network, or tell your department IT.',
  InsecureEnrolmentError: 'This address of your department node is not secure (it starts with http://), so Dak will not enrol over it. Ask your department IT for the https:// address.',
  DeviceAlreadyEnrolledError: 'This device is already enrolled. Reload the page to open Dak.',
  EnrolmentPendingError: 'Your department signs new devices offline, and this one has not been signed yet. Dak kept waiting for an hour; ask your department IT to sign it, then enrol again with a new invite.',
  AuthorityOfflineError: 'Your department node cannot sign this itself: its authority is kept offline. Ask your department IT.',
  RateLimitedError: 'There were too many attempts in a short time. Wait a minute, then try again.',
  NotThisDepartmentError: 'This invite belongs to another department’s node. Open the invite link your own department sent, or ask your department IT.',
  NotEnrolledError: 'This browser is not enrolled yet. Reload the page and enrol it with the invite from your department IT.',

  // This browser
  DeviceInUseError: 'Dak is already open in another tab or window of this browser. Close it there, then try again.',
  // The PIN lock (docs/web.md, *PIN lock*)
  PinRequiredError: 'This browser is locked. Type your PIN or passphrase to open Dak.',
  WrongPinError: 'That PIN or passphrase is not the one set in this browser, so Dak stayed locked. Check it and try again; after 3 wrong tries in a row Dak makes you wait before the next one.',
  PinAttemptsDelayError: 'Too many wrong PINs were typed in a row, so Dak waits before it takes another. Nothing on this device was deleted. Wait, then try again; if you have forgotten the PIN, ask your department IT.',
  PinTooShortError: 'This PIN or passphrase is too short. Choose one with at least 4 characters.',
  PinRequiredByDepartmentError: 'Your department requires a PIN or passphrase on every browser, so it cannot be removed. You can change it to another one.',
  LockDelayTooLongError: 'Your department does not allow Dak to stay open that long without use. Choose a shorter time.',
  InsecureContextError: 'This page was not opened over a secure connection, so Dak cannot protect your messages here. Ask your department IT for the https address.',
  BrowserOfflineError: 'This browser is offline. Messages you write are kept on this device and sent when the connection returns.',
  StorageError: `Dak could not read or save its data in this browser. Reload the page. ${ASK_IT}`,
  StorageUnavailableError: 'Dak’s data in this browser cannot be opened right now. Close any other Dak tab, then reload the page.',
  CorruptRecordError: `Some of Dak’s data in this browser is damaged and could not be read. ${ASK_IT}`,
  RecordNotFoundError: `Dak could not find something it had saved in this browser. Reload the page. ${ASK_IT}`,
  RecordExistsError: 'Dak tried to save something twice; the first copy was kept. Nothing is needed from you.',
  InvalidStateTransitionError: 'A message’s status arrived out of order and was ignored. Nothing is needed from you.',

  // Reaching the department node and other devices
  RequestTimeoutError: 'Your department node or another device did not answer in time. Dak keeps trying; check your network connection if this stays.',
  CertificateTimeoutError: 'A device took too long to show who it is, so Dak did not connect to it. This usually clears by itself; check your network connection if it stays.',
  StreamEndedError: 'The connection dropped in the middle of a request. Dak tries again when the connection is back.',
  PeerNotConnectedError: 'The other device is not connected right now. Your message is kept and goes out when a connection is available.',
  MissingCertificateError: 'Something that is not a Dak device tried to connect, so Dak refused it. Nothing is needed from you.',
  CertificateMismatchError: `A device showed an identity that was not its own, so Dak refused it. ${ASK_IT}`,
  PeerNotVerifiedError: 'A device asked for something before showing who it is, so Dak refused. Nothing is needed from you.',
  CertificateRefusedError: 'Your department node or another device did not accept this device. Its access may have been withdrawn or may have expired: ask your department IT.',
  InvalidSignatureError: `Something arrived with a signature that does not check out, so Dak ignored it. ${ASK_IT}`,
  UntrustedAuthorityError: 'Something came from a department this device does not trust, so Dak ignored it. If you expected it, tell your department IT.',
  QuotaExceededError: `Your department node already holds as much as it allows for this device, so it refused more. Your messages are safe on this device. ${ASK_IT}`,
  TopicNotRegisteredError: 'Your department node did not know one of your conversations yet. Dak tells it again; nothing is lost.',
  StaleRegistrationError: 'Your department node had an older list of your conversations. Dak sends it again; nothing is lost.',
  NoKeyPackageError: 'This officer cannot be added right now: their device has not been online since they enrolled. Ask them to open Dak once, then try again.',
  NotYourDeviceError: `Your department node refused a request about another device. ${ASK_IT}`,
  ExpiredEnvelopeError: 'A message was too old for your department node to keep and was dropped. Ask the sender to send it again if you miss it.',
  RemoteError: `Your department node or another device could not do what was asked. Try again. ${ASK_IT}`,
  InternalError: `Something went wrong on your department node. Try again later. ${ASK_IT}`,
  SequencerUnreachableError: 'The change to this conversation’s members could not be made yet, because the department node that orders such changes is out of reach. Dak tries again when it is back.',
  CommitLostRaceError: 'Someone else changed this conversation at the same moment. Dak is trying your change again.',

  // Officers, conversations, messages
  UnknownOfficerError: 'No officer by that name is in your department’s directory. Check the spelling, or ask them whether they have enrolled a device.',
  KeyPackageUnavailableError: 'The device to add has not reached your department yet. Dak adds it as soon as it does.',
  UnknownDeviceError: 'None of your devices has that key. Check the key the new device shows, and that it finished enrolling with your link code.',
  UnknownConversationError: 'This conversation is not on this device any more. Go back to your chats; if you need it, ask a member to add you again.',
  UnknownSenderError: 'A message came from a device Dak does not know yet, so it was set aside. Dak reads it once that device’s identity arrives.',
  WipeOrderRefusedError: 'An order to erase this device arrived that did not come from your department, or was meant for another device, so Dak ignored it and erased nothing. Tell your department IT.',
  DeviceWipedError: 'Your department ordered this device erased, so Dak deleted its messages and keys from this browser. Ask your department IT for a new invite if you need Dak here again.',
  DeviceRevokedError: 'This device’s access was withdrawn by your department, so it can no longer send or receive messages. Ask your department IT.',
  ConversationClosedError: 'You can no longer send messages in this conversation, because you left it or were removed. You can still read its history.',
  NotAMemberError: 'You are no longer a member of this conversation. You can still read its history.',
  ForbiddenCommitError: 'Only a group admin can add or remove members. Ask one of the group’s admins.',
  ConnectionLostError: 'The connection to another device or your department node was lost because it stopped answering. Dak reconnects by itself when the network is back; nothing you wrote is lost.',
  StoreLockedError: 'The messages on this device are locked and could not be opened. Reload the page; if it keeps happening, tell your department IT.',
  WrongStorageKeyError: 'The messages on this device could not be unlocked with the key this browser holds, so nothing was changed. Tell your department IT before you enrol again.',
  GroupNotRegisteredError: 'Your department node does not know this conversation, so a change to its members could not be made. Try again in a moment; if it keeps happening, tell your department IT.',
  NotYourCommitError: 'A change to this conversation was refused because it did not come from a current member’s device. Nothing was changed.',
  NotAMemberOfTopicError: 'Your department node did not let this device read or store messages for a conversation it is not a member of. If you should be in it, ask one of its admins to add you.',
  WaitingForMembersError: 'Nobody else has joined this conversation yet. Your message goes out as soon as they do.',
  MissingGroupError: 'This device is missing the keys of this conversation, so it cannot send in it. Ask a member of the conversation to add you again.',
  MlsError: 'A message or a change to a conversation could not be decrypted or checked, so it was not accepted. If a message seems missing, ask the sender to send it again.',
  EpochTooOldError: 'A message arrived too late to be decrypted on this device. Ask the sender to send it again if you miss it.',
  FutureEpochError: 'A message arrived before a change it depends on. Dak reads it once that change arrives.',
  DuplicateMessageError: 'A message arrived twice; the second copy was ignored. Nothing is needed from you.',
  FutureTimestampError: 'Something arrived dated in the future, so it was not accepted. Check that this computer’s date and time are right.',
  StaleRevocationListError: 'Dak could not get an up-to-date list of withdrawn devices. Connect to your department’s network so it can update.',
  ExpiredCertificateError: 'A device’s access has expired. If it is this device, ask your department IT to renew it.',
  RevokedCertificateError: 'A device whose access was withdrawn by its department sent something, and Dak did not accept it. Nothing is needed from you.',
  TooLargeError: 'This is too large to send. Send it in smaller parts.',
  InvalidArgumentError: 'Dak could not accept what was entered. Check it and try again.',
  MalformedInputError: `Something arrived damaged or not in Dak’s format, so it was ignored. ${ASK_IT}`,
  // attachments (docs/files.md)
  ChunkIntegrityError: 'Part of this file arrived damaged and was thrown away. Dak fetches it again from someone else.',
  FileTooLargeError: 'This file is over the size Dak sends (100 MiB unless your department set another). Send a smaller one.',
  FileExpiredError: 'This file’s message has disappeared, and the file with it. Ask the sender to send it again if you still need it.',
  CarryRefusedError: 'Another officer’s device would not pass on messages from a conversation it does not share with you. Dak gets them from your department’s server instead.',
  FileQuotaError: 'Your department’s server holds as many of your files as it allows. The file stays on this device; others can fetch it while you are online.',
  FileUnavailableError: 'Nobody reachable has this file right now. What arrived is kept; try again when the sender is online.',
  NoAttachmentError: 'This device does not have the details of this file, so it cannot fetch it. Ask the sender to send it again.',
  MicrophoneUnavailableError: 'Dak could not use your microphone for a voice note. Check that one is connected, that no other program is using it, and that this page may use it, then try again.',
  RecordingUnsupportedError: 'This browser cannot record voice notes. Use a current version of Chrome, Chromium, Edge or Firefox, or send a text message.',

  // Calls (node/src/calls/errors.ts, web/src/calls/errors.ts)
  NotACallMemberError: 'A call came from, or was meant for, someone who is not in this conversation, so Dak did not connect it. Nothing is needed from you.',
  CallKeysOutOfStepError: 'The call could not start because one of your devices has not yet caught up with a change to this conversation. Wait a moment, then call again.',
  CallTooLargeError: 'A call can have at most 4 people, and this conversation has more. Start a call in a smaller group.',
  CallUnreachableError: 'The other person’s device could not be reached, so the call did not go through. They may be offline; try again later or send a message.',
  CameraUnavailableError: 'Dak could not use your camera to read the QR code. Check that this device has one, that no other program is using it, and that this page may use it. You can also type the code instead.',
  MediaUnavailableError: 'Dak could not use your microphone or camera. Check that one is connected, that no other program is using it, and that this page may use it, then call again.',
  EncryptedCallsUnsupportedError: 'This browser cannot keep calls private end to end, so Dak does not make calls in it. Use a current version of Chrome, Chromium or Edge.',
  AlreadyInCallError: 'You are already in a call. Hang up first, then start the new one.',

  // Everyday messaging and directives (issue 16)
  // issue 16, linked devices
  DeviceVouchRefusedError: 'Someone said a new device belongs to one of your contacts, but the statement did not hold (it was not made by that officer\'s own trusted device, or one of the devices is no longer valid). Dak did not trust the new device.',
  LinkUnavailableError: 'A code for your new device comes from your department. Connect to your department (office network or internet) and try again.',
  LinkInviteMismatchError: 'Your department answered with a code for someone else, so Dak did not show it. Tell your department IT.',
  EditRefusedError: 'This message cannot be changed: only its sender can edit or delete it, only for a short time after sending, and never a directive. Your department sets how long; send a new message instead.',
  DirectiveMismatchError: 'This acknowledgement does not match the directive it claims to acknowledge: it was made for another directive, or the directive was changed since. It is not accepted as proof.'
}
