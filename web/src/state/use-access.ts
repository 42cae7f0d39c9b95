/** This device's access, kept current from the status, the 'revoked' event and refused operations. */
import { useCallback, useEffect, useState } from 'preact/hooks'
import type { ConnectionStatus, Messenger } from '../messenger.js'
import { accessOfError, accessOfStatus, furthestAccess, type Access } from './access.js'

export interface AccessState {
  access: Access
  /** Feed every error the UI sees through this, so a refused operation can reveal a revocation. */
  noteError: (name: string) => void
}

export function useAccess (messenger: Messenger, status: ConnectionStatus): AccessState {
  const [access, setAccess] = useState<Access>(() => accessOfStatus(status))

  useEffect(() => { setAccess(known => furthestAccess(known, accessOfStatus(status))) }, [status])
  useEffect(() => messenger.on('revoked', () => { setAccess('revoked') }), [messenger])

  const noteError = useCallback((name: string) => {
    const reported = accessOfError(name)
    if (reported !== null) setAccess(known => furthestAccess(known, reported))
  }, [])

  return { access, noteError }
}
