import { decodeLogRequest, encodeConsistencyAnswer, encodeInclusionAnswer } from '@dak/protocol'
import type { RequestHandler } from '@dak/node/net'
import { peerCertificate, type ProtocolDeps } from './deps.js'

/**
 * The certificate transparency log, for verified peers: the signed head, a
 * leaf's inclusion proof under it (NotInLogError when the log lacks it), and
 * the consistency proof between two sizes (a device joining its own head and
 * one a peer showed it). Certificates are no secret: any verified device of
 * any department may ask.
 */
export function transparencyLogHandler (deps: ProtocolDeps): RequestHandler {
  return async (bytes, context) => {
    peerCertificate(deps, context)
    const request = decodeLogRequest(bytes)
    switch (request.type) {
      case 'head': return deps.log.head().bytes
      case 'inclusion': {
        const found = deps.log.inclusion(request.leafHash)
        return encodeInclusionAnswer({ head: found.head.bytes, index: found.index, proof: found.proof })
      }
      case 'consistency': return encodeConsistencyAnswer(deps.log.consistency(request.oldSize, request.newSize))
    }
  }
}
