import { toHex, type RevocationState, type TrustStore } from '@dak/protocol'
import type { Departments } from '../department/departments.js'
import type { DakLibp2p } from '../net/index.js'
import type { DeviceStore } from '../storage/index.js'

/**
 * Keep revocation lists current: fetch them from every department node we
 * reach, adopt newer ones (serials only go up), persist them, and re-check
 * every connected peer so a revoked device is dropped at once.
 */
export function followRevocations (init: { store: DeviceStore, departments: Departments, trust: TrustStore, revocations: RevocationState, libp2p: DakLibp2p, selfKey: string }): () => void {
  const refresh = async (): Promise<void> => {
    let changed = false
    for (const department of init.departments.connected()) {
      let lists: Uint8Array[]
      try {
        lists = await department.revocations()
      } catch {
        continue
      }
      for (const bytes of lists) {
        try {
          const list = init.revocations.accept(bytes, init.trust)
          await init.store.identity.putRevocationList(toHex(list.authorityPublicKey), bytes)
          changed = true
        } catch {
          // stale (not newer than ours) or not from a trusted authority: ignore
        }
      }
    }
    if (changed) init.libp2p.services.directory.recheck()
  }
  return init.departments.onChange(() => { void refresh() })
}
