import { MalformedInputError } from '../errors.js'
import { describe, expect, it } from 'vitest'
import { decodeSettings } from './answers.js'
import { MAX_AUTO_DOWNLOAD_BYTES, MAX_LOCK_AFTER_MS } from './constants.js'
import { DepartmentSettings } from '../wire/generated/department.js'

describe('department settings (issue 16 edit window, issue 14 inactivity lock)', () => {
  it('carries the inactivity lock beside the edit window', () => {
    expect(decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000, lockAfterMs: 300_000 }))).toEqual({ editWindowMs: 900_000, lockAfterMs: 300_000 })
  })

  it('leaves the lock out when a node does not set it (an older node sends only the edit window)', () => {
    expect(decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000 }))).toEqual({ editWindowMs: 900_000 })
  })

  it('refuses a lock longer than a day', () => {
    expect(() => decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000, lockAfterMs: MAX_LOCK_AFTER_MS + 1 }))).toThrow(MalformedInputError)
  })

  it('carries the automatic-download size when the node sets it, 0 (never) included; refuses one past the largest file', () => {
    expect(decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000, lockAfterMs: 0, autoDownloadBytes: 0 }))).toEqual({ editWindowMs: 900_000, autoDownloadBytes: 0 })
    expect(decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000, lockAfterMs: 0, autoDownloadBytes: 2_000_000 }))).toEqual({ editWindowMs: 900_000, autoDownloadBytes: 2_000_000 })
    expect(() => decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000, lockAfterMs: 0, autoDownloadBytes: MAX_AUTO_DOWNLOAD_BYTES + 1 }))).toThrow(MalformedInputError)
  })

  it('carries the PIN policy (issue 14) when the node sets it, false included; an older node leaves it out', () => {
    expect(decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000, lockAfterMs: 600_000, requirePin: true }))).toEqual({ editWindowMs: 900_000, lockAfterMs: 600_000, requirePin: true })
    expect(decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000, lockAfterMs: 600_000, requirePin: false }))).toEqual({ editWindowMs: 900_000, lockAfterMs: 600_000, requirePin: false })
    expect(decodeSettings(DepartmentSettings.encode({ editWindowMs: 900_000, lockAfterMs: 600_000 }))).not.toHaveProperty('requirePin')
  })
})
