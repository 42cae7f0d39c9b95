import type { OpenDevice } from '../../node/src/device/open-device.js'
import { openDevice } from '../../node/src/device/open-device.js'
import type { ProvisionedDevice } from './provision.js'
import { waitFor } from './wait.js'

export async function openOnLoopback (device: ProvisionedDevice, options: { bootstrap?: string[] } = {}): Promise<OpenDevice> {
  return await openDevice({ db: device.db(), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: options.bootstrap ?? [] })
}

/** Dial every pair and wait until each device has verified every other. */
export async function connectAll (devices: OpenDevice[]): Promise<void> {
  for (let i = 0; i < devices.length; i++) {
    for (let j = i + 1; j < devices.length; j++) {
      await devices[i]!.libp2p.dial(devices[j]!.libp2p.getMultiaddrs())
    }
  }
  for (const device of devices) {
    await waitFor('peers verified', () => device.libp2p.services.directory.peers().length >= devices.length - 1, {
      subscribe: (wake) => { device.libp2p.services.directory.addEventListener('peer:verified', wake); return () => { device.libp2p.services.directory.removeEventListener('peer:verified', wake) } }
    })
  }
}
