import { createDakLibp2p } from '../net/libp2p.js'
import { assembleDevice, type OpenDevice, type OpenDeviceOptions } from './assemble-device.js'

export type { OpenDevice, OpenDeviceOptions } from './assemble-device.js'
export type { WipeNotice } from './wipe-order.js'

/** Open an enrolled device in Node.js: TCP, WebSockets, WebRTC(-Direct), circuit relay, and mDNS when asked. */
export async function openDevice (options: OpenDeviceOptions): Promise<OpenDevice> {
  return await assembleDevice(options, {
    createLibp2p: async (shared) => await createDakLibp2p({ ...shared, mdns: options.mdns ?? false })
  })
}
