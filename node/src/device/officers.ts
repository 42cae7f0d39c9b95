import type { Certificate, VerifyContext } from '@dak/protocol'
import { officersTopicValidator } from '../department/officers-topic.js'
import { officersTopic } from '@dak/protocol/department'
import type { DakLibp2p } from '../net/index.js'

export interface FollowOfficersInit {
  libp2p: DakLibp2p
  /** Departments whose officers to follow (those of the authorities we trust). */
  departmentIds: string[]
  verifyContext: () => VerifyContext
  /** A certificate that verified on an officers topic: remember the officer. */
  onOfficer: (certificate: Certificate) => void
}

/**
 * Learn officers enrolled while this device is online: department nodes
 * publish each certificate they issue on their officers topic. Without this a
 * device would learn them only from the directory it pulls when it connects,
 * and refuse their gossip (unknown sender) until its next reconnect.
 */
export function followOfficers (init: FollowOfficersInit): () => void {
  const pubsub = init.libp2p.services.pubsub
  const topics = [...new Set(init.departmentIds)].map(department => ({ department, topic: officersTopic(department) }))
  for (const { department, topic } of topics) {
    pubsub.topicValidators.set(topic, officersTopicValidator({
      department,
      verifyContext: init.verifyContext,
      isVerifiedPeer: (peer) => init.libp2p.services.directory.isVerified(peer),
      onOfficer: init.onOfficer
    }))
    pubsub.subscribe(topic)
  }
  return () => {
    for (const { topic } of topics) {
      pubsub.unsubscribe(topic)
      pubsub.topicValidators.delete(topic)
    }
  }
}
