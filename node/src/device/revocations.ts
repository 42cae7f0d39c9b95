import { toHex, type RevocationState, type TrustStore, type VerifiedRevocationList } from '@dak/protocol'
import { revocationTopicValidator } from '../department/control-topic.js'
import type { Departments } from '../department/departments.js'
import { controlTopic } from '@dak/protocol/department'
import type { DakLibp2p } from '../net/index.js'
import type { DeviceStore } from '../storage/index.js'
import { componentLogger } from '../log.js'

const log = componentLogger('device:revocations')

export interface FollowRevocationsInit {
  store: DeviceStore
  departments: Departments
  trust: TrustStore
  revocations: RevocationState
  libp2p: DakLibp2p
  /** Departments whose control topics to follow (our own, and those of the authorities we trust). */
  departmentIds: string[]
  /** After a newer list is adopted: e.g. remove revoked members from our groups, see whether it names this device. */
  onRevoked: (list: VerifiedRevocationList) => void
}

export interface FollowedRevocations {
  /** Adopt a list from elsewhere (an HTTP fetch) the same way; stale or untrusted ones are ignored. */
  adopt: (bytes: Uint8Array) => void
  stop: () => void
}

/**
 * Keep revocation lists current, from two sources: the department control
 * topics (pushed the moment an authority revokes), and every department node
 * we reach (pulled, for lists we missed while offline). A newer list is
 * persisted, every connected peer is re-checked so a revoked device is
 * dropped at once, and the messenger is told.
 */
export function followRevocations (init: FollowRevocationsInit): FollowedRevocations {
  const adopted = (list: VerifiedRevocationList): void => {
    void init.store.identity.putRevocationList(toHex(list.authorityPublicKey), list.bytes).catch((err) => { log.error('keeping a revocation list failed: %e', err) })
    init.libp2p.services.directory.recheck()
    init.onRevoked(list)
  }
  const adopt = (bytes: Uint8Array): void => {
    try {
      adopted(init.revocations.accept(bytes, init.trust))
    } catch {
      // stale (not newer than ours) or not from a trusted authority: ignore
    }
  }
  const pubsub = init.libp2p.services.pubsub
  const topics = [...new Set(init.departmentIds)].map(controlTopic)
  for (const topic of topics) {
    pubsub.topicValidators.set(topic, revocationTopicValidator({ trust: () => init.trust, revocations: init.revocations, isVerifiedPeer: (peer) => init.libp2p.services.directory.isVerified(peer), onAdopted: adopted }))
    pubsub.subscribe(topic)
  }
  const pull = async (): Promise<void> => {
    for (const department of init.departments.connected()) {
      let lists: Uint8Array[]
      try {
        lists = await department.revocations()
      } catch {
        continue
      }
      for (const bytes of lists) adopt(bytes)
    }
  }
  const off = init.departments.onChange(() => { void pull() })
  return {
    adopt,
    stop () {
      off()
      for (const topic of topics) pubsub.unsubscribe(topic)
    }
  }
}
