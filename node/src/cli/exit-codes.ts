/**
 * Exit codes of the `dak` command line, documented in docs/node.md. Scripts
 * tell "queued for later" apart from "failed": a field officer's send that
 * could only be queued is not an error, but it is not done either.
 */
export const EXIT = {
  ok: 0,
  /** Bad arguments, unknown command or option, or a conversation prefix that names several. */
  usage: 1,
  /** The operation failed; the typed error is printed. */
  failed: 2,
  /** `dak send`: written to the outbox, but no department node or recipient confirmed it in time. */
  queuedOnly: 3,
  /**
   * `dak history`: what it shows is only what this device already had — no department node
   * was caught up from (unreachable, or the catch-up broke off), so there may be more.
   */
  notUpToDate: 7,
  /** No identity in the data directory: run `dak init` first. */
  notEnrolled: 4,
  /** No such conversation (by id or title prefix) or officer known to this device. */
  notFound: 5,
  /** This device's certificate was revoked by its department (DeviceRevokedError): it can only read what it has. */
  revoked: 6,
  /** The passphrase does not unlock the device's storage key, or none was given where one is needed (WrongPassphraseError, PassphraseRequiredError). Nothing was changed. */
  wrongPassphrase: 8,
  /** This device obeyed its department's remote wipe order (DeviceWipedError): its store and keys are erased. */
  wiped: 9,
  /** `dak verify`: the evidence file is refused (a forged or altered signature, an untrusted or revoked signer). */
  evidenceRefused: 10
} as const
export type ExitCode = typeof EXIT[keyof typeof EXIT]
