import { precedenceRank, type Precedence } from '@dak/protocol'

/**
 * Which outbox lane (storage/outbox.ts) each kind of work waits in: the
 * engine's own ordering of what a slow link carries first (issue 11 part 4,
 * docs/messenger.md "Precedence and the link budget").
 *
 * - 0: flash messages, and membership work (changes, their commits and
 *   Welcomes): few and small, and a text must not overtake a removal queued
 *   before it, or a removed member could read it;
 * - 1: immediate messages;
 * - 2: routine messages;
 * - no lane (bulk): receipts, conversation info, edits, deletions and
 *   acknowledgements; key-package top-ups wait for the outbox to settle.
 */
export const LANE = { first: 0, immediate: 1, routine: 2 } as const

/** The lane of a chat message of this precedence (absent = routine). */
export function laneOf (precedence: Precedence | undefined): number {
  return precedenceRank(precedence) === 0 ? LANE.first : precedenceRank(precedence) === 1 ? LANE.immediate : LANE.routine
}

/** A comparable rank of an outbox entry's lane: bulk (no lane) after every lane. */
export function laneRank (lane: number | undefined): number {
  return lane ?? Number.MAX_SAFE_INTEGER
}
