import { checkHandle, checkLabel, hashInviteSecret, INVITE_SECRET_BYTES, InvalidArgumentError, InvalidInviteError, toHex } from '@dak/protocol'
import { writeDurably, type BatchOp, locksFor, type Db, type Locks } from '../store/level.js'
import type { Table } from '../store/tables.js'
import { InviteAlreadyUsedError, InviteExpiredError, UnknownInviteError } from './errors.js'

/** Who an invite is for: what the certificate will say. */
export interface InviteRecord {
  handle: string
  displayName: string
  title: string
  /** ms since epoch; the invite is refused from this instant on. */
  expiresAt: number
}

interface StoredInvite extends InviteRecord {
  usedAt?: number
}

export interface InviteRegistryOptions {
  db: Db
  /** A CSPRNG; injected so tests are deterministic. */
  randomBytes?: (n: number) => Uint8Array
}

function defaultRandomBytes (n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n))
}

/**
 * One-time enrolment invites. Only hashInviteSecret(secret) is stored, so a
 * copy of the database enrols nobody; the secret goes once to the admin, who
 * hands it to the officer as a code or QR (protocol/'s createInvite with
 * `randomBytes: () => secret` builds them around this secret).
 *
 * Redeeming is exactly-once: redeems of one invite are serialised, and the
 * "used" mark is written (fsynced) together with whatever the redeemer writes
 * as its effect (the enrolled device), so a crash leaves either both or
 * neither, and an invite can never enrol two devices.
 *
 *   invite  <sha256 hash of secret>  → { handle, displayName, title, expiresAt, usedAt? }
 */
export class InviteRegistry {
  private readonly db: Db
  private readonly invites: Table<StoredInvite>
  private readonly mutex: Locks
  private readonly randomBytes: (n: number) => Uint8Array

  constructor (options: InviteRegistryOptions) {
    this.mutex = locksFor(options.db, 'invites')
    this.db = options.db
    this.invites = options.db.sublevel<StoredInvite>('invite', { valueEncoding: 'json' })
    this.randomBytes = options.randomBytes ?? defaultRandomBytes
  }

  /** Record an invite and return its secret: the only time the secret exists on this node. */
  async create (record: InviteRecord): Promise<Uint8Array> {
    checkHandle(record.handle)
    checkLabel(record.displayName, 'display name')
    checkLabel(record.title, 'title')
    if (!Number.isSafeInteger(record.expiresAt) || record.expiresAt <= 0) throw new InvalidArgumentError('invite expiry must be a positive integer (ms since epoch)')
    const secret = this.randomBytes(INVITE_SECRET_BYTES)
    const { handle, displayName, title, expiresAt } = record
    await writeDurably(this.db, [{ type: 'put', sublevel: this.invites, key: toHex(hashInviteSecret(secret)), value: { handle, displayName, title, expiresAt } satisfies StoredInvite }])
    return secret
  }

  /**
   * Use the invite with this secret, once. `effect` runs while the invite is
   * held and returns the writes that make up the redemption; if it throws,
   * the invite stays unused (a bad request does not burn an officer's invite).
   */
  async redeem (secret: Uint8Array, now: number, effect?: (record: InviteRecord) => BatchOp[] | Promise<BatchOp[]>): Promise<InviteRecord> {
    if (!(secret instanceof Uint8Array) || secret.length !== INVITE_SECRET_BYTES) throw new InvalidInviteError(`an invite secret is ${INVITE_SECRET_BYTES} bytes`)
    const key = toHex(hashInviteSecret(secret))
    return await this.mutex.run([key], async () => {
      const stored = await this.invites.get(key)
      if (stored == null) throw new UnknownInviteError('no such invite')
      if (stored.usedAt != null) throw new InviteAlreadyUsedError(`invite was used at ${new Date(stored.usedAt).toISOString()}`)
      if (now >= stored.expiresAt) throw new InviteExpiredError(`invite expired at ${new Date(stored.expiresAt).toISOString()}`)
      const record: InviteRecord = { handle: stored.handle, displayName: stored.displayName, title: stored.title, expiresAt: stored.expiresAt }
      const ops = effect == null ? [] : await effect(record)
      await writeDurably(this.db, [...ops, { type: 'put', sublevel: this.invites, key, value: { ...record, usedAt: now } satisfies StoredInvite }])
      return record
    })
  }

  /** Handles with an invite that can still be redeemed at `now` (unused, unexpired): their invite images must stay. */
  async redeemableHandles (now: number): Promise<Set<string>> {
    const handles = new Set<string>()
    for await (const invite of this.invites.values()) {
      if (invite.usedAt == null && now < invite.expiresAt) handles.add(invite.handle)
    }
    return handles
  }

  /** Drop invites that expired before `now`, used or not; returns how many. */
  async purgeExpired (now: number): Promise<number> {
    const ops: BatchOp[] = []
    for await (const [key, invite] of this.invites.iterator()) {
      if (invite.expiresAt <= now) ops.push({ type: 'del', sublevel: this.invites, key })
    }
    await writeDurably(this.db, ops)
    return ops.length
  }
}
