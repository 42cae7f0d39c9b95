import { createMetricsRegistry, type MetricsRegistry } from '../http/metrics.js'
import type { ProtocolEvent } from '../protocols/index.js'
import type { StoreStats } from '../store/index.js'

/**
 * The department node's Prometheus metrics (GET /metrics). Counters are
 * incremented by name; gauges are read at scrape time from the live node.
 * docs/department-node.md lists every metric and what to alert on.
 */

export type NodeEvent = ProtocolEvent
  | 'gossipStored' | 'gossipDuplicate' | 'gossipRefused' | 'gossipDropped' | 'gossipNotMember'
  | 'enrolment' | 'enrolmentRefused' | 'enrolmentRateLimited' | 'revocation'

const COUNTERS: Record<NodeEvent, [string, string]> = {
  deposit: ['deposits_total', 'Envelopes deposited by devices and stored'],
  duplicate: ['deposit_duplicates_total', 'Deposits of envelopes the store already held'],
  query: ['queries_total', 'Catch-up pages served'],
  registration: ['topic_registrations_total', 'Topic registrations accepted'],
  keyPackagesUploaded: ['key_package_uploads_total', 'Key-package uploads accepted'],
  keyPackagesFetched: ['key_package_fetches_total', 'Key-package fetches answered'],
  keyPackagesLastResortOnly: ['key_package_fetches_last_resort_only_total', 'Key-package fetches past the requester\'s one-time budget, served last-resort packages'],
  commitAccepted: ['commits_accepted_total', 'MLS commits accepted by the sequencer'],
  commitRejected: ['commits_rejected_total', 'MLS commits refused because another won the epoch'],
  commitRefused: ['commits_refused_total', 'MLS commits refused: not a member, not allowed by the group\'s rules, or malformed'],
  directory: ['directory_pages_total', 'Directory pages served'],
  error: ['rpc_errors_total', 'Requests answered with an error'],
  gossipStored: ['gossip_stored_total', 'Envelopes received by gossip and stored'],
  gossipDuplicate: ['gossip_duplicates_total', 'Envelopes received by gossip that were stored already'],
  gossipRefused: ['gossip_refused_total', 'Envelopes received by gossip that the store refused (quota, retention)'],
  gossipDropped: ['gossip_dropped_total', 'Envelopes received by gossip while too many writes were under way'],
  gossipNotMember: ['gossip_not_member_total', 'Envelopes gossiped on a sequenced conversation\'s topic by a device not its member, not stored'],
  enrolment: ['enrolments_total', 'Devices enrolled'],
  enrolmentRefused: ['enrolment_failures_total', 'Enrolment requests refused'],
  enrolmentRateLimited: ['enrolment_rate_limited_total', 'Enrolment requests refused by the per-address rate limit'],
  revocation: ['revocations_total', 'Revocation lists issued']
}

export interface NodeGauges {
  peers: () => number
  verifiedPeers: () => number
  relayReservations: () => number
  subscribedTopics: () => number
  storeStats: () => Promise<StoreStats>
  uptimeSeconds: () => number
}

export interface NodeMetrics {
  registry: MetricsRegistry
  count: (event: NodeEvent) => void
}

/** Store statistics walk every topic's counters: read them once per scrape, not once per gauge. */
const STATS_CACHE_MS = 1_000

export function createNodeMetrics (gauges: NodeGauges): NodeMetrics {
  const registry = createMetricsRegistry('dak_')
  const counters = new Map<NodeEvent, { inc: () => void }>()
  for (const [event, [name, help]] of Object.entries(COUNTERS) as Array<[NodeEvent, [string, string]]>) counters.set(event, registry.counter(name, help))
  let cached: { at: number, stats: Promise<StoreStats> } | undefined
  const stats = async (): Promise<StoreStats> => {
    const now = Date.now()
    if (cached == null || now - cached.at > STATS_CACHE_MS) cached = { at: now, stats: gauges.storeStats() }
    return await cached.stats
  }
  registry.gauge('peers', 'Connected peers', gauges.peers)
  registry.gauge('verified_peers', 'Connected peers that passed the certificate gate', gauges.verifiedPeers)
  registry.gauge('relay_reservations', 'Circuit relay reservations held', gauges.relayReservations)
  registry.gauge('subscribed_topics', 'Gossip topics the node keeps', gauges.subscribedTopics)
  registry.gauge('stored_envelopes', 'Envelopes in the store', async () => (await stats()).envelopes)
  registry.gauge('store_bytes', 'Envelope bytes in the store', async () => (await stats()).bytes)
  registry.gauge('store_topics', 'Topics the store has ever held', async () => (await stats()).topics)
  registry.gauge('uptime_seconds', 'Seconds since the node started', gauges.uptimeSeconds)
  return { registry, count: (event) => { counters.get(event)?.inc() } }
}
