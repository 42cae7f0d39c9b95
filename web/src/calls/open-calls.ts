/**
 * Calls for the device open in this page: the signalling protocol on its
 * libp2p node (node/src/calls) and the call manager over it, with the
 * page's camera, microphone and a worker per call for SFrame.
 */
import { TrustStore } from '@dak/protocol'
import { startCallSignals } from '@dak/node/calls'
import type { OpenDevice } from '@dak/node/device/open-device'
import { createCallManager, type CallManager } from './call-manager.js'

export async function openCalls (device: OpenDevice): Promise<CallManager> {
  const identity = await device.store.identity.get()
  if (identity.trustBundle == null) throw new Error('an enrolled device has a trust bundle')
  const trust = TrustStore.decode(identity.trustBundle)
  const signals = await startCallSignals({ libp2p: device.libp2p, messenger: device.messenger, trust: () => trust })
  const manager = createCallManager({
    signals,
    messenger: device.messenger,
    getUserMedia: async (constraints) => await navigator.mediaDevices.getUserMedia(constraints),
    createWorker: () => new Worker(new URL('./sframe-worker.ts', import.meta.url), { type: 'module', name: 'dak-call' })
  })
  return {
    ...manager,
    async stop () {
      await manager.stop()
      await signals.stop()
    }
  }
}
