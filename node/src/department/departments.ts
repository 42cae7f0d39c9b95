import type { SigningKeyPair, TrustStore } from '@dak/protocol'
import { createRpc } from '../net/rpc.js'
import type { DakLibp2p } from '../net/libp2p-common.js'
import type { VerifiedPeer } from '../net/peer-directory.js'
import { createDepartmentClient, type DepartmentClient } from './client.js'
import { isDepartmentNode } from '@dak/protocol/department'

/**
 * The department nodes a device is connected to right now, as clients (it
 * satisfies messenger/ports.ts' DepartmentsPort). A peer counts once the
 * certificate gate verified it and isDepartmentNode says so.
 */

/** Connected, verified peers that are department nodes. */
export function departmentNodePeers (directory: { peers: () => VerifiedPeer[] }, trust: TrustStore): VerifiedPeer[] {
  return directory.peers().filter(p => isDepartmentNode(p.certificate, trust))
}

export interface Departments {
  connected: () => DepartmentClient[]
  /** Called when a department node is verified or a peer leaves; returns the unsubscribe function. */
  onChange: (handler: () => void) => () => void
}

export function createDepartments (init: { libp2p: DakLibp2p, deviceKeys: SigningKeyPair, trust: () => TrustStore, timeoutMs?: number }): Departments {
  const { libp2p } = init
  const rpc = createRpc(libp2p, libp2p.services.directory)
  // one client per node, so its registration clock survives between calls
  const clients = new Map<string, DepartmentClient>()
  return {
    connected () {
      const nodes = departmentNodePeers(libp2p.services.directory, init.trust())
      return nodes.map(({ peer }) => {
        const id = peer.toString()
        let client = clients.get(id)
        if (client == null) clients.set(id, client = createDepartmentClient({ rpc, node: peer, deviceKeys: init.deviceKeys, timeoutMs: init.timeoutMs }))
        return client
      })
    },
    onChange (handler) {
      const notify = (): void => { handler() }
      libp2p.services.directory.addEventListener('peer:verified', notify)
      libp2p.addEventListener('peer:disconnect', notify)
      return () => {
        libp2p.services.directory.removeEventListener('peer:verified', notify)
        libp2p.removeEventListener('peer:disconnect', notify)
      }
    }
  }
}
