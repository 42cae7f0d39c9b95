import { bytesEqual, EnvelopeKind, frameOf, MalformedInputError, openEnvelope } from '@dak/protocol'
import { decodeRequest, encodeResponse } from '@dak/node/department'
import type { RequestHandler } from '@dak/node/net'
import { peerCertificate, type ProtocolDeps } from './deps.js'
import { UnknownSenderError } from './errors.js'
import { PROTOCOL_LIMITS } from './ids.js'

/**
 * MLS commit sequencing for the groups that name this node: the first valid
 * commit of each epoch wins (durably, before anyone is told). An accepted
 * commit is also stored on the group's topic, so members that were away
 * catch up on it, and gossiped to the members online; a refused one is
 * answered with the winner to apply instead.
 */
export function submitCommitHandler (deps: ProtocolDeps): RequestHandler {
  return async (bytes, context) => {
    peerCertificate(deps, context)
    const submit = decodeRequest(bytes, 'submitCommit', PROTOCOL_LIMITS.submitCommit.maxRequestBytes)
    const now = deps.now()
    const opened = openEnvelope(submit.envelope, now)
    if (!deps.isKnownDevice(opened.sender)) throw new UnknownSenderError('the commit\'s sender holds no valid certificate known here')
    // Trust the MLS framing, not the request's claims: the group and epoch are read from the commit itself.
    const frame = frameOf(opened.payload)
    if (opened.kind !== EnvelopeKind.COMMIT || frame.kind !== 'commit') throw new MalformedInputError('only commits are sequenced')
    if (!bytesEqual(frame.groupId, submit.groupId) || BigInt(submit.epoch) !== frame.epoch) throw new MalformedInputError('the request names another group or epoch than its commit')
    const outcome = await deps.sequencer.submit(submit.groupId, submit.epoch, submit.envelope, now)
    if (!outcome.accepted) {
      deps.count('commitRejected')
      return encodeResponse('submitCommit', { accepted: false, sequence: outcome.sequence, winner: outcome.winner })
    }
    try {
      // the sequencer's log is the authority; the store copy is for catch-up (a resubmission dedupes)
      const stored = await deps.store.deposit(submit.envelope, now)
      if (!stored.duplicate) deps.publish(opened.topic, submit.envelope)
    } catch {
      // over quota or past retention: the commit stands, members get it from the sequencer's answer and gossip
      deps.publish(opened.topic, submit.envelope)
    }
    deps.count('commitAccepted')
    return encodeResponse('submitCommit', { accepted: true, sequence: outcome.sequence, winner: new Uint8Array(0) })
  }
}
