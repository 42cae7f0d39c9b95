import { bytesEqual, toHex, type Certificate } from '@dak/protocol'
import { catchUpJoined } from './catch-up.js'
import { topicReadThisSession } from './topic-reads.js'
import type { EngineContext } from './context.js'
import type { Incoming } from './incoming.js'
import { componentLogger } from '../log.js'

const log = componentLogger('messenger:node-mesh-catch-up')

/**
 * Catch a topic up from a department node when the two join each other's
 * gossip mesh for it (a GRAFT either way). Until then the node relays this
 * device nothing on the topic: what reached it after this device's catch-up
 * had read the topic, and before the GRAFT, went to its store only, and
 * gossipsub never offers a new mesh peer what went before. On a healthy link
 * that window is a heartbeat or so after each connection (each side grafts at
 * its heartbeat); it lasted seconds after a browser reload while the node
 * graylisted the returning page (gossip.ts, appScore), and on a slow link it
 * is as long as the GRAFT takes. test/messenger/node-mesh.test.ts makes the
 * window by hand. A GRAFT before the session's first read of the topic needs
 * nothing, as that read covers it (topic-reads.ts): the GRAFTs of a new
 * connection usually come first and cost nothing (a `dak group add` that
 * asked at each missed its 10 s wait in a loaded full test run). Otherwise one store query per topic per
 * GRAFT, usually answered empty; a GRAFT that comes while that topic's query
 * runs makes one more run after it, never more. A failure is logged, not
 * shown: the GRAFT may come before this device's registration of a topic
 * just joined reaches the node (TopicNotRegisteredError), and the connection's
 * own catch-up, which reports its failures, covers everything else.
 */
export function nodeMeshCatchUp (ctx: EngineContext, incoming: Incoming): (node: Certificate, topics: string[]) => void {
  const running = new Map<string, { again: boolean }>()

  const run = async (node: Certificate, topic: string, key: string): Promise<void> => {
    const state = { again: false }
    running.set(key, state)
    try {
      do {
        state.again = false
        const department = ctx.departments.connected().find(d => d.nodeKey != null && bytesEqual(d.nodeKey, node.devicePublicKey))
        // not read yet in this session with the node: that read is still to come, and covers it
        if (department == null || !topicReadThisSession(ctx, department.id, topic)) return
        await catchUpJoined(ctx, incoming, department, topic)
      } while (state.again)
    } finally {
      running.delete(key)
    }
  }

  // only topics this session has read count (run() checks), and the session reads only this device's own
  return (node, topics) => {
    for (const topic of topics) {
      const key = `${toHex(node.devicePublicKey)} ${topic}`
      const current = running.get(key)
      if (current != null) {
        current.again = true
        continue
      }
      run(node, topic, key).catch((err: unknown) => { log('catching %s up from the node after a GRAFT failed: %e', topic, err) })
    }
  }
}
