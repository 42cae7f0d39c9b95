import { utf8 } from '@dak/protocol'
import type { RequestHandler } from '@dak/node/net'
import { UnknownSenderError } from '@dak/protocol/department'
import { ownDevice, type ProtocolDeps } from './deps.js'

/**
 * Linked devices (issue 16; docs/messenger.md, *Linked devices*): an enrolled
 * device of this department asks for a one-time invite for another device of
 * its own officer. Who asks is the connection's verified certificate, never a
 * field of the request (the request is empty): a device gets an invite for its
 * own handle, display name and title only. A revoked device is refused at the
 * gate already (the rpc layer admits verified peers only); the registry check
 * here also refuses one revoked while its connection stood.
 */
export function linkDeviceHandler (deps: ProtocolDeps): RequestHandler {
  return async (_bytes, context) => {
    const certificate = ownDevice(deps, context)
    if (!deps.isKnownDevice(certificate.devicePublicKey)) throw new UnknownSenderError('this device is not enrolled here (revoked or unknown): it cannot link another')
    return utf8(await deps.linkInvite(certificate))
  }
}
