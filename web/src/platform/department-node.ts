/**
 * Where this browser's department node is. The node serves this page, so the
 * page's origin is the node's web address, and its /api/info lists the
 * multiaddrs a browser can dial (WebSockets, WebRTC-Direct). They are kept in
 * localStorage so that a device opened while the node's web server cannot be
 * reached still knows whom to dial when the network returns.
 */
import { fetchNodeInfo, type NodeInfo } from '@dak/node/department'
import { NODE_INFO_KEY, NODE_INFO_TIMEOUT_MS } from '../constants.js'

export interface KnownNode {
  nodeUrl: string
  peerId: string
  browserMultiaddrs: string[]
}

export function rememberNode (nodeUrl: string, info: NodeInfo): void {
  const known: KnownNode = { nodeUrl, peerId: info.peerId, browserMultiaddrs: info.browserMultiaddrs }
  localStorage.setItem(NODE_INFO_KEY, JSON.stringify(known))
}

/** What was kept at the last enrolment or open; undefined when nothing usable is there. */
export function knownNode (): KnownNode | undefined {
  let value: unknown
  try {
    value = JSON.parse(localStorage.getItem(NODE_INFO_KEY) ?? 'null')
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { nodeUrl, peerId, browserMultiaddrs } = value as Record<string, unknown>
  if (typeof nodeUrl !== 'string' || typeof peerId !== 'string') return undefined
  if (!Array.isArray(browserMultiaddrs) || !browserMultiaddrs.every(a => typeof a === 'string')) return undefined
  return { nodeUrl, peerId, browserMultiaddrs }
}

/**
 * The addresses a page loaded from `pageProtocol` can dial. A page served
 * over HTTPS may not open ws:// (mixed content: the browser refuses it at
 * once), so it is given wss (`/tls/ws`) and WebRTC-Direct, which carries its
 * own certificate hash and needs no CA.
 */
export function dialableFromPage (addresses: string[], pageProtocol: string): string[] {
  if (pageProtocol !== 'https:') return addresses
  return addresses.filter(a => !/\/ws(\/|$)/.test(a) || /\/tls\/ws(\/|$)/.test(a) || /\/wss(\/|$)/.test(a))
}

/**
 * The node's browser addresses: fresh from `nodeUrl` (its ports may have
 * changed since enrolment), else the ones kept. Failing to reach the node
 * here is not an error: the device opens offline and its messages queue.
 */
export async function departmentAddresses (nodeUrl: string): Promise<string[]> {
  try {
    const info = await fetchNodeInfo(nodeUrl, { signal: AbortSignal.timeout(NODE_INFO_TIMEOUT_MS) })
    rememberNode(nodeUrl, info)
    return dialableFromPage(info.browserMultiaddrs, location.protocol)
  } catch {
    return dialableFromPage(knownNode()?.browserMultiaddrs ?? [], location.protocol)
  }
}
