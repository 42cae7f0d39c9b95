/**
 * Protocol ids, timeouts and limits of Dak's network layer. Every number says
 * why it is what it is; docs/network.md explains the choices together.
 */

/** Certificate exchange: the first thing both ends do on every new connection. */
export const CERT_PROTOCOL = '/dak/cert/1.0.0'

/**
 * How long a new connection may stay unverified before it is closed. THREATS.md
 * asks for "connection closed within 2 s of the Noise handshake"; 1.5 s leaves
 * half a second for the timer, the abort and a slow event loop. An honest peer
 * needs one round trip (a few hundred ms even on 2G).
 */
export const DEFAULT_CERTIFICATE_TIMEOUT_MS = 1_500

/**
 * The certificate deadline also scales with the link: it is at least this many
 * times as long as the connection's own handshake (TCP open to Noise and yamux
 * done, about two and a half round trips). On loopback or a LAN the handshake
 * takes milliseconds and the 1.5 s floor rules, as THREATS.md asks; on 2G
 * (400 ms RTT, 10% loss) one lost segment costs a retransmit of a second or
 * more, and a fixed 1.5 s failed most exchanges (docs/field.md). An outsider
 * gains nothing from a slow handshake: it holds the connection as long during
 * the handshake itself, and is bounded by the connection limits.
 */
export const CERTIFICATE_DEADLINE_HANDSHAKES = 4

/** However slow the handshake, an unverified connection is closed after this long. */
export const MAX_CERTIFICATE_TIMEOUT_MS = 20_000

/**
 * How long what waits on a peer's certificate verdict (the gossip gate, a relay
 * reservation) may wait: as long as the directory may take to give it, which is
 * the connection's own deadline (up to MAX_CERTIFICATE_TIMEOUT_MS on a slow
 * link), not the configured floor. The directory settles every unverified
 * connection by its deadline (verified, or rejected and hung up), so the wait
 * ends with the verdict; this bound is only a backstop. Waiting the floor (1.5 s)
 * left a peer verified later on 2G connected, verified and out of gossip for
 * the connection's life: live texts never reached it (docs/field.md, section 8).
 */
export function verdictWaitMs (certificateTimeoutMs: number): number {
  return Math.max(certificateTimeoutMs, MAX_CERTIFICATE_TIMEOUT_MS)
}

/**
 * How long a rejected peer may not connect again (either way). Long enough that
 * a peer with a bad certificate does not cost us a handshake every second,
 * short enough that a device that was just re-enrolled is not locked out long.
 * Only a verdict denies: a certificate exchange that merely ran out of time
 * (CertificateTimeoutError) closes the connection without denying, because on
 * a lossy link that is the network's doing, and denying locked a device out of
 * its department node for a minute after every slow exchange (docs/field.md).
 * Nor does a certificate stream that ended before a whole certificate arrived
 * (StreamEndedError): the other end went away, which a short `dak` command
 * does when it exits mid-exchange; denying it locked the officer's next
 * command out for a minute (docs/network.md).
 */
export const DEFAULT_DENY_MS = 60_000

/**
 * Most peers remembered as denied at once. Peer ids are free to make, so the
 * list is bounded: past this the oldest entries go first (a flood of fresh ids
 * is the Sybil row of THREATS.md, handled by connection limits, not this list).
 */
export const MAX_DENIED_PEERS = 4_096

/**
 * How often every verified peer's certificate is checked again, so that one
 * that expires (or is revoked while nobody calls recheck) does not keep a
 * connection open for long.
 */
export const DEFAULT_RECHECK_INTERVAL_MS = 60_000

/**
 * Request/response defaults: a single bounded request and response per stream.
 * A server has DEFAULT_RPC_TIMEOUT_MS to read a request, handle it and write
 * the answer. A requester has it to open the stream and then as the longest
 * silence while the answer arrives, within DEFAULT_RPC_MAX_MS for the whole
 * exchange (progress-deadline.ts): on 2G at 30% loss an answer of a few
 * kilobytes takes longer than 10 s but keeps arriving (docs/field.md).
 */
export const DEFAULT_RPC_TIMEOUT_MS = 10_000
export const DEFAULT_RPC_MAX_MS = 120_000
export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024

/**
 * Error responses carry a name and a message for people; neither needs more
 * than this, and a peer must not make us hold more.
 */
export const MAX_ERROR_NAME_CHARS = 64
export const MAX_ERROR_MESSAGE_CHARS = 1_024

/**
 * Largest gossipsub RPC frame read from a peer. One RPC may batch several
 * envelopes (each at most MAX_ENVELOPE_BYTES, 256 KiB) plus control messages;
 * 1 MiB bounds the buffer per stream while leaving room for four.
 */
export const MAX_GOSSIP_RPC_BYTES = 1024 * 1024

/**
 * Opening a connection: TCP, Noise and yamux, each a round trip or two. libp2p
 * gives a dial 10 s, each address 6 s and an inbound upgrade 10 s; at 400 ms
 * RTT and 30% loss every lost SYN or handshake segment costs a retransmit
 * timeout of 1 s, then 2 s, 4 s, and a receiver on 2g-bad never got a
 * department node in 120 s of attempts (docs/field.md). A dead address then
 * holds its dial slot longer; an honest slow handshake finishes.
 */
export const DIAL_TIMEOUT_MS = 30_000
export const UPGRADE_TIMEOUT_MS = 30_000

/** Service tag for mDNS, so Dak nodes find each other and not every libp2p app on the LAN. */
export const DEFAULT_MDNS_SERVICE_TAG = '_dak-p2p._udp.local'

/**
 * Keep-alive (liveness.ts), replacing libp2p's connection monitor, which
 * aborted a connection on one failed ping: on 2G with 10% loss one ping in a
 * few dozen misses its deadline, and a flap of 10 s failed one for certain, so
 * good connections were torn down (docs/field.md). Here a connection is given
 * up only after LIVENESS_FAILURES pings in a row fail, each allowed
 * LIVENESS_TIMEOUT_MS: a dead link is noticed within about 1.5 minutes, a
 * short outage survives (TCP resends what was lost). One ping every 30 s
 * keeps idle traffic low on a 64 kbit/s link and NAT mappings alive.
 */
export const LIVENESS_INTERVAL_MS = 30_000
export const LIVENESS_TIMEOUT_MS = 15_000
export const LIVENESS_FAILURES = 3
