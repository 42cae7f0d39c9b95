import { DakError, MAX_CERTIFICATE_BYTES } from '@dak/protocol'
import { CERT_PROTOCOL } from './constants.js'
import { CertificateRefusedError, CertificateTimeoutError, MissingCertificateError, NotEnrolledError, RequestTimeoutError } from './errors.js'
import { exchangeOnStream, serveRequest } from './rpc.js'
import type { Certificate } from '@dak/protocol'
import type { Connection, PeerId, StreamHandler } from '@libp2p/interface'

/**
 * The certificate exchange ('/dak/cert/1.0.0'), one request/response per
 * connection: the dialer sends its certificate, the listener verifies it and
 * only then answers with its own. So a scanner that dials us learns nothing
 * about the officer behind the node; the dialer, who chose whom to dial,
 * reveals first. Both ends verify what they receive.
 */

/** What the exchange needs from the gate that keeps the verdicts (PeerDirectory). */
export interface CertificateGate {
  ownCertificate: () => Uint8Array | undefined
  /** Verify `certificate` for `peer` and remember it; throws the typed reason if it is not acceptable. */
  accept: (peer: PeerId, certificate: Uint8Array) => Certificate
  /** Refuse the peer: hang up, deny re-dial, tell listeners. */
  reject: (peer: PeerId, error: DakError) => void
}

const LIMITS = { maxRequestBytes: MAX_CERTIFICATE_BYTES, maxResponseBytes: MAX_CERTIFICATE_BYTES }

/** Listener side: verify the dialer's certificate, answer with ours, or refuse. */
export function certificateHandler (gate: CertificateGate, deadlineOf: (connection: Connection) => number): StreamHandler {
  return async (stream, connection) => {
    const timeoutMs = deadlineOf(connection)
    const failure = await serveRequest(stream, connection, (request, { peer }) => {
      gate.accept(peer, request)
      const own = gate.ownCertificate()
      if (own == null) throw new NotEnrolledError('this node has no certificate yet')
      return own
    }, { ...LIMITS, timeoutMs })
    // the peer has been told why (the answer is written); now act on it, unless
    // the failure is ours (not enrolled) or the connection is already gone
    if (failure != null && !(failure instanceof NotEnrolledError) && connection.status === 'open') {
      // a request that did not arrive in time is the link's doing, not a verdict: no deny
      gate.reject(connection.remotePeer, failure instanceof RequestTimeoutError ? new CertificateTimeoutError(`certificate did not arrive within ${timeoutMs} ms`) : failure)
    }
  }
}

/** Dialer side: present our certificate on a new outbound connection and verify the answer. */
export async function presentCertificate (connection: Connection, gate: CertificateGate, timeoutMs: number): Promise<void> {
  const own = gate.ownCertificate()
  // not enrolled: nothing to show; the peer's own timer decides about us
  if (own == null) return
  const signal = AbortSignal.timeout(timeoutMs)
  let verdict: DakError | undefined
  try {
    // relayed connections are limited, but they must be gated like any other
    const stream = await connection.newStream(CERT_PROTOCOL, { signal, runOnLimitedConnection: true })
    const answer = await exchangeOnStream(stream, own, { ...LIMITS, signal })
    if (answer.ok) gate.accept(connection.remotePeer, answer.body)
    else verdict = new CertificateRefusedError(`peer refused our certificate: ${answer.error.message}`, answer.error.name)
  } catch (err) {
    // out of time is not a verdict about the peer (a slow link): the gate closes without denying
    verdict = signal.aborted
      ? new CertificateTimeoutError(`no certificate answer within ${timeoutMs} ms`)
      : err instanceof DakError
        ? err
        : new MissingCertificateError(`peer did not present a certificate (${err instanceof Error ? err.name : 'unknown error'})`)
  }
  // a connection that closed meanwhile was hung up by one of the two gates, or by the peer;
  // a refusal of our certificate is reported even then: it is the cue to check whether we were revoked
  if (verdict != null && (connection.status === 'open' || verdict instanceof CertificateRefusedError)) gate.reject(connection.remotePeer, verdict)
}
