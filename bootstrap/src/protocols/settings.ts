import { DepartmentSettings } from '@dak/protocol/department'
import type { RequestHandler } from '@dak/node/net'
import { peerCertificate, type ProtocolDeps } from './deps.js'

/** The department's settings for its devices (issue 16): the edit window, from the node's config. */
export function settingsHandler (deps: ProtocolDeps): RequestHandler {
  return async (_bytes, context) => {
    peerCertificate(deps, context)
    return DepartmentSettings.encode(deps.settings())
  }
}
