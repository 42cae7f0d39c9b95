/**
 * The raw baseline's page (benches/web.ts, `web.page-load`): start plain
 * js-libp2p and dial the multiaddr given as `#dial=<multiaddr>`, the
 * department node's WebSocket address. `body[data-state]` becomes
 * `connected` once the connection is up (WebSocket, Noise, yamux), or
 * `failed` with the error in #status.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { startRawBrowserNode } from '../raw-libp2p.js'

const status = document.getElementById('status')

function show (state: 'connected' | 'failed', text: string): void {
  if (status !== null) status.textContent = text
  document.body.dataset.state = state
}

async function connect (): Promise<void> {
  const target = new URLSearchParams(location.hash.slice(1)).get('dial')
  if (target === null) throw new Error('no #dial=<multiaddr> in the address')
  const node = await startRawBrowserNode()
  const connection = await node.dial(multiaddr(target))
  show('connected', `connected to ${connection.remotePeer.toString()}`)
}

connect().catch((err: unknown) => { show('failed', err instanceof Error ? `${err.name}: ${err.message}` : String(err)) })
