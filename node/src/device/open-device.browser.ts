import { InvalidArgumentError } from '@dak/protocol'
import { createDakLibp2p } from '../net/libp2p.browser.js'
import { assembleDevice, type OpenDevice, type OpenDeviceOptions } from './assemble-device.js'
import { dialOfficersDirectly } from './direct-peers.browser.js'

export type { OpenDevice, OpenDeviceOptions } from './assemble-device.js'
export type { WipeNotice } from './wipe-order.js'

/**
 * openDevice for the browser, chosen by the `browser` condition of
 * `@dak/node/device/open-device`: the browser's libp2p (WebSockets and
 * WebRTC-Direct to department nodes, WebRTC to other browsers, no TCP and no
 * mDNS), plus what only a browser needs: the window's online/offline events
 * for the department link, and dialling officers directly over WebRTC
 * (direct-peers.browser.ts).
 */
export async function openDevice (options: OpenDeviceOptions): Promise<OpenDevice> {
  if (options.mdns != null && options.mdns !== false) throw new InvalidArgumentError('browsers cannot use mDNS: give the department node as bootstrap')
  return await assembleDevice(options, {
    createLibp2p: async (shared) => await createDakLibp2p({ ...shared, dialPrivateAddresses: options.dialPrivateAddresses ?? false }),
    network: globalThis,
    extras: ({ libp2p, messenger, trust }) => dialOfficersDirectly({ libp2p, messenger, trust })
  })
}
