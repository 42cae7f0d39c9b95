import { DEFAULT_PROTOCOL_RATE, type ProtocolRate, type RequestHandler, type Rpc } from '@dak/node/net'
import type { ProtocolDeps } from './deps.js'
import { directoryHandler, revocationsHandler } from './directory.js'
import { DEPARTMENT_PROTOCOLS, PROTOCOL_LIMITS, type DepartmentProtocol } from './ids.js'
import { fetchKeyPackagesHandler, heldKeyPackagesHandler, uploadKeyPackagesHandler } from './keypackages.js'
import { linkDeviceHandler } from './link.js'
import { transparencyLogHandler } from './log.js'
import { submitCommitHandler } from './sequencer.js'
import { settingsHandler } from './settings.js'
import { depositHandler, queryHandler, registerTopicsHandler } from './store.js'

export { DEPARTMENT_PROTOCOLS, PROTOCOL_LIMITS, type DepartmentProtocol } from './ids.js'
export type { ProtocolDeps, ProtocolEvent } from './deps.js'
export * from './errors.js'

/**
 * Streams of one protocol a single connection may have open at once. A device
 * sends one request at a time per protocol, a few during catch-up; more is a
 * peer trying to tie up the node's handlers.
 */
const MAX_INBOUND_STREAMS = 8

/**
 * Requests per peer and for all peers together (node/src/net/peer-limits.ts),
 * where a protocol needs other than DEFAULT_PROTOCOL_RATE (300 at once, 100 a
 * second per peer). An honest device uploads and asks for revocations a few
 * times per connection, and a flapping link or a reloaded tab reconnects every
 * second or two for a minute (60 at once, then one a second: the 50-reload and
 * 50-reconnect tests); key packages are minted and stored per request on the
 * device side, so fetching them is limited per requester (and past its budget
 * a requester gets last-resort packages: keypackages.ts).
 */
const RATES: Partial<Record<DepartmentProtocol, ProtocolRate>> = {
  uploadKeyPackages: { perPeer: { capacity: 60, refillPerSecond: 1 }, global: { capacity: 500, refillPerSecond: 100 } },
  heldKeyPackages: { perPeer: { capacity: 60, refillPerSecond: 1 }, global: { capacity: 500, refillPerSecond: 100 } },
  fetchKeyPackages: { perPeer: { capacity: 30, refillPerSecond: 5 }, global: { capacity: 500, refillPerSecond: 100 } },
  revocations: { perPeer: { capacity: 60, refillPerSecond: 1 }, global: { capacity: 500, refillPerSecond: 100 } },
  // each answer writes an invite: a handful per device, then one a minute
  linkDevice: { perPeer: { capacity: 5, refillPerSecond: 1 / 60 }, global: { capacity: 100, refillPerSecond: 10 } }
}

const HANDLERS: Record<DepartmentProtocol, (deps: ProtocolDeps) => RequestHandler> = {
  registerTopics: registerTopicsHandler,
  deposit: depositHandler,
  query: queryHandler,
  uploadKeyPackages: uploadKeyPackagesHandler,
  fetchKeyPackages: fetchKeyPackagesHandler,
  heldKeyPackages: heldKeyPackagesHandler,
  submitCommit: submitCommitHandler,
  revocations: revocationsHandler,
  directory: directoryHandler,
  transparencyLog: transparencyLogHandler,
  settings: settingsHandler,
  linkDevice: linkDeviceHandler
}

/**
 * Serve every department protocol on `rpc`, for verified peers only (the
 * rpc layer's admission), each with its own request and response bounds.
 * Refusals go back as typed ErrorResponses and leave the node serving others.
 * Returns a function that stops serving them.
 */
export async function serveDepartmentProtocols (rpc: Rpc, deps: ProtocolDeps): Promise<() => Promise<void>> {
  const served: string[] = []
  for (const [name, make] of Object.entries(HANDLERS) as Array<[DepartmentProtocol, (deps: ProtocolDeps) => RequestHandler]>) {
    const handler = make(deps)
    const counted: RequestHandler = async (request, context) => {
      try {
        return await handler(request, context)
      } catch (err) {
        deps.count('error')
        throw err
      }
    }
    await rpc.handle(DEPARTMENT_PROTOCOLS[name], counted, { ...PROTOCOL_LIMITS[name], maxInboundStreams: MAX_INBOUND_STREAMS, rate: RATES[name] ?? DEFAULT_PROTOCOL_RATE })
    served.push(DEPARTMENT_PROTOCOLS[name])
  }
  return async () => {
    for (const protocol of served) await rpc.unhandle(protocol)
  }
}
