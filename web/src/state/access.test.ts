import { describe, expect, it } from 'vitest'
import type { ConnectionStatus } from '../messenger.js'
import { accessOfError, accessOfStatus, furthestAccess } from './access.js'

const online: ConnectionStatus = { mode: 'department', departmentNodes: 1, peers: 0, queued: 0, certificate: 'valid' }

describe('access', () => {
  it('reads the status, and treats a status without the field as valid', () => {
    expect(accessOfStatus(online)).toBe('valid')
    expect(accessOfStatus({ ...online, certificate: 'revoked' })).toBe('revoked')
    expect(accessOfStatus({ ...online, certificate: undefined } as unknown as ConnectionStatus)).toBe('valid')
  })

  it('never goes back once withdrawn', () => {
    expect(furthestAccess('revoked', 'valid')).toBe('revoked')
    expect(furthestAccess('expired', 'revoked')).toBe('revoked')
    expect(furthestAccess('expired', 'valid')).toBe('expired')
    expect(furthestAccess('valid', 'valid')).toBe('valid')
  })

  it('learns a revocation from a refused operation', () => {
    expect(accessOfError('DeviceRevokedError')).toBe('revoked')
    expect(accessOfError('RequestTimeoutError')).toBeNull()
  })
})
