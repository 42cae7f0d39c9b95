import type { AuthenticationService, KeyRetentionConfig, MlsContext } from 'ts-mls'
import type { DakError } from '../errors.js'
import type { VerifyContext } from '../identity/certificate.js'
import { certificateAuthService } from './credentials.js'
import { clientConfig, type Suite } from './suite.js'

/**
 * What every MLS operation that judges credentials needs: the trust bundle, the
 * revocation lists and the clock (VerifyContext), and optionally other retention windows
 * (a device must use the same ones for the life of a group).
 */
export interface ConversationContext extends VerifyContext {
  retention?: KeyRetentionConfig
}

export interface OperationContext {
  mls: MlsContext
  /** Why our AuthenticationService refused a credential during this operation, if it did. */
  authFailure: () => DakError | undefined
}

/** A fresh ts-mls context per operation, so a recorded credential failure belongs to that operation. */
export function operationContext (suite: Suite, context: ConversationContext): OperationContext {
  const auth = certificateAuthService(context)
  return {
    mls: { cipherSuite: suite.impl, authService: auth.service, clientConfig: clientConfig(context.retention) },
    authFailure: auth.failure
  }
}

/** For operations that never meet a new credential (encrypting): any credential check is a bug. */
const noCredentialsExpected: AuthenticationService = {
  async validateCredential () { return false }
}

export function sendingContext (suite: Suite, retention?: KeyRetentionConfig): MlsContext {
  return { cipherSuite: suite.impl, authService: noCredentialsExpected, clientConfig: clientConfig(retention) }
}
