/**
 * Numbers of Dak's MLS layer, each with the reason it is what it is. They live here,
 * beside the MLS code, rather than in ../constants.ts because only this folder uses them.
 */

import type { KeyRetentionConfig } from 'ts-mls'

/**
 * GroupContext extension type of Dak's group policy (sequencer + admins). RFC 9420 §17.3
 * reserves 0xF000-0xFFFF for private use; 0xF0DA ("DA"k) is ours.
 */
export const GROUP_POLICY_EXTENSION_TYPE = 0xf0da

/** Version of the GroupPolicy body written by this code. */
export const GROUP_POLICY_VERSION = 1

/**
 * At most this many admins per group: a department's duty officers, not a directory.
 * Matches the `limit` on GroupPolicy.admins in ../wire/group-policy.proto.
 */
export const MAX_GROUP_ADMINS = 64

/** Longest sequencer peer id string: an Ed25519 libp2p peer id is 52 characters. */
export const MAX_SEQUENCER_BYTES = 128

/**
 * Out-of-order windows for a field officer who is offline for a day (ts-mls defaults:
 * 10 generations, 4 epochs, 200 forward steps).
 * - maximumForwardRatchetSteps 5,000: when an officer comes back, stores replay a day of
 *   traffic, and relays may deliver one sender's later message before its earlier ones.
 *   A busy channel sees a few hundred messages per sender per day; 5,000 steps of HKDF
 *   cost a few milliseconds, so the bound stays a cheap DoS limit.
 * - retainKeysForGenerations 1,000: the skipped keys kept per sender and epoch so those
 *   earlier messages still decrypt when they arrive; 64 bytes each, kept only while unused.
 * - retainKeysForEpochs 8: messages encrypted in an epoch that a commit has since closed
 *   (senders cut off from the sequencer keep using the old epoch) stay readable for eight
 *   more commits. Each retained epoch keeps a copy of the ratchet tree in the serialised
 *   state (about 2 KiB per member with X-Wing), so this is the number that makes state of
 *   large groups grow; beyond it a message gives EpochTooOldError and its sender re-sends.
 */
export const DAK_KEY_RETENTION: KeyRetentionConfig = {
  retainKeysForGenerations: 1_000,
  retainKeysForEpochs: 8,
  maximumForwardRatchetSteps: 5_000
}

/**
 * Largest Welcome accepted. A Welcome carries the ratchet tree (ts-mls rc.10 exports no
 * tree codec, so the tree cannot travel on its own): with X-Wing ~3.4 KiB per member,
 * ~6.5 MiB for 2,000 members. It is bigger than MAX_MLS_MESSAGE_BYTES for groups over
 * ~70 members, so Welcomes need their own transport limit (see docs/mls.md).
 */
export const MAX_WELCOME_BYTES = 16 * 1024 * 1024

/**
 * Largest serialised group state restoreState accepts: the tree of the current epoch plus
 * one per retained epoch, for 2,000 members with X-Wing, with room.
 */
export const MAX_GROUP_STATE_BYTES = 128 * 1024 * 1024

/** Largest serialised private key package: three private keys, X-Wing's being 32 bytes. */
export const MAX_PRIVATE_KEY_PACKAGE_BYTES = 4 * 1024

/** Group ids are random and opaque: 32 bytes is what Dak draws; 64 leaves room for other schemes. */
export const MAX_GROUP_ID_BYTES = 64
