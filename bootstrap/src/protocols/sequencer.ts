import { bytesEqual, EnvelopeKind, frameOf, MalformedInputError, openEnvelope } from '@dak/protocol'
import { decodeRequest, encodeResponse } from '@dak/protocol/department'
import type { RequestHandler } from '@dak/node/net'
import { peerCertificate, type ProtocolDeps } from './deps.js'
import { NotYourCommitError, UnknownSenderError } from './errors.js'
import { PROTOCOL_LIMITS } from './ids.js'

/**
 * MLS commit sequencing for the groups that name this node: the first commit
 * of each epoch that its group's rules allow wins (durably, before anyone is
 * told) and is answered with the node's signed CommitAck; a refused one is
 * answered with the winner and its ack, to apply instead. The submitter must
 * be the connection's own device: the sequencer judges commits by who holds
 * which leaf, and a device can only speak for itself.
 *
 * The node neither stores nor gossips the commit itself: members apply a
 * commit only with its ack, so the committer, holding the ack, delivers the
 * commit (with the ack in its envelope) as it delivers any other message.
 */
export function submitCommitHandler (deps: ProtocolDeps): RequestHandler {
  return async (bytes, context) => {
    const certificate = peerCertificate(deps, context)
    const submit = decodeRequest(bytes, 'submitCommit', PROTOCOL_LIMITS.submitCommit.maxRequestBytes)
    const now = deps.now()
    const opened = openEnvelope(submit.envelope, now)
    if (!deps.isKnownDevice(opened.sender)) throw new UnknownSenderError('the commit\'s sender holds no valid certificate known here')
    if (!bytesEqual(opened.sender, certificate.devicePublicKey)) throw new NotYourCommitError('a device submits its own commits only')
    // Trust the MLS framing, not the request's claims: the group and epoch are read from the commit itself.
    const frame = frameOf(opened.payload)
    if (opened.kind !== EnvelopeKind.COMMIT || frame.kind !== 'commit') throw new MalformedInputError('only commits are sequenced')
    if (!bytesEqual(frame.groupId, submit.groupId) || BigInt(submit.epoch) !== frame.epoch) throw new MalformedInputError('the request names another group or epoch than its commit')
    try {
      const outcome = await deps.sequencer.submit(submit.groupId, submit.epoch, submit.envelope, now, {
        submitter: certificate.devicePublicKey,
        leavingLeaves: submit.leavingLeaves,
        welcomeHash: submit.welcomeHash,
        registration: submit.registration,
        // a member may add its own officer's devices (linked devices): who that officer is, the gate verified
        submitterCertificate: certificate,
        officerDevices: await deps.officerDevices(certificate)
      })
      if (!outcome.accepted) {
        deps.count('commitRejected')
        return encodeResponse('submitCommit', { accepted: false, sequence: outcome.sequence, winner: outcome.winner, ack: outcome.ack })
      }
      deps.count('commitAccepted')
      return encodeResponse('submitCommit', { accepted: true, sequence: outcome.sequence, winner: new Uint8Array(0), ack: outcome.ack })
    } catch (err) {
      deps.count('commitRefused')
      throw err
    }
  }
}
