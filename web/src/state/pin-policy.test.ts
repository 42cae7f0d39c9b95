import { describe, expect, it } from 'vitest'
import { LockDelayTooLongError, PinRequiredByDepartmentError } from '../platform/errors.js'
import { checkLockChoice, checkPinRemoval, effectiveLockAfterMs, lockChoices, mustSetPin, policyOf, type PinPolicy } from './pin-policy.js'

const TEN_MIN = 10 * 60_000
const required: PinPolicy = { requirePin: true, maxLockAfterMs: TEN_MIN }
const optional: PinPolicy = { requirePin: false, maxLockAfterMs: TEN_MIN }

describe('the department\'s PIN policy in the browser (issue 14)', () => {
  it('reads the stored settings; nothing learnt yet is no requirement and the default longest delay', () => {
    expect(policyOf({ requirePin: 1, departmentLockAfterMs: TEN_MIN }, 300_000)).toEqual(required)
    expect(policyOf({ requirePin: 0, departmentLockAfterMs: TEN_MIN }, 300_000)).toEqual(optional)
    expect(policyOf({ requirePin: undefined, departmentLockAfterMs: undefined }, 300_000)).toEqual({ requirePin: false, maxLockAfterMs: 300_000 })
  })

  it('asks for a PIN before anything is shown only when the department requires one and none is set', () => {
    expect(mustSetPin(required, false)).toBe(true)
    expect(mustSetPin(required, true)).toBe(false)
    expect(mustSetPin(optional, false)).toBe(false)
  })

  it('refuses removing the PIN under the policy, with a typed error', () => {
    expect(() => { checkPinRemoval(required) }).toThrow(PinRequiredByDepartmentError)
    expect(() => { checkPinRemoval(optional) }).not.toThrow()
  })

  it('takes an officer\'s lock delay up to the department\'s longest, never beyond, and refuses nonsense', () => {
    expect(() => { checkLockChoice(required, TEN_MIN) }).not.toThrow()
    expect(() => { checkLockChoice(required, 60_000) }).not.toThrow()
    expect(() => { checkLockChoice(required, TEN_MIN + 1) }).toThrow(LockDelayTooLongError)
    expect(() => { checkLockChoice(optional, 24 * 60 * 60_000) }).toThrow(LockDelayTooLongError)
    for (const bad of [0, -1, Number.NaN, 1.5]) expect(() => { checkLockChoice(optional, bad) }).toThrow(LockDelayTooLongError)
  })

  it('locks after the officer\'s choice, capped at the department\'s longest even if a longer one was stored before the department lowered it', () => {
    expect(effectiveLockAfterMs(required, undefined)).toBe(TEN_MIN)
    expect(effectiveLockAfterMs(required, 120_000)).toBe(120_000)
    expect(effectiveLockAfterMs(required, 30 * 60_000)).toBe(TEN_MIN)
  })

  it('offers only delays up to the department\'s longest, the longest included', () => {
    expect(lockChoices(required)).toEqual([60_000, 120_000, 300_000, TEN_MIN])
    expect(lockChoices({ requirePin: true, maxLockAfterMs: 15_000 })).toEqual([15_000])
    expect(Math.max(...lockChoices({ requirePin: false, maxLockAfterMs: 7 * 60_000 }))).toBe(7 * 60_000)
  })
})
