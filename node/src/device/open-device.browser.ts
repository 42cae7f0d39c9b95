import { InvalidArgumentError } from '@dak/protocol'
import { createDakLibp2p } from '../net/libp2p.browser.js'
import { assembleDevice, type OpenDevice, type OpenDeviceOptions } from './assemble-device.js'
import { keepDepartmentLink } from './department-link.browser.js'
import { dialOfficersDirectly } from './direct-peers.browser.js'

export type { OpenDevice, OpenDeviceOptions } from './assemble-device.js'

/**
 * openDevice for the browser, chosen by the `browser` condition of
 * `@dak/node/device/open-device`: the browser's libp2p (WebSockets and
 * WebRTC-Direct to department nodes, WebRTC to other browsers, no TCP and no
 * mDNS), plus what only a browser needs: redial its department node after an
 * outage, and dial officers directly over WebRTC (direct-peers.browser.ts).
 */
export async function openDevice (options: OpenDeviceOptions): Promise<OpenDevice> {
  if (options.mdns != null && options.mdns !== false) throw new InvalidArgumentError('browsers cannot use mDNS: give the department node as bootstrap')
  return await assembleDevice(options, {
    createLibp2p: async (shared) => await createDakLibp2p({ ...shared, dialPrivateAddresses: options.dialPrivateAddresses ?? false }),
    extras: ({ libp2p, messenger, trust }) => {
      const stopLink = keepDepartmentLink({ libp2p, bootstrap: options.bootstrap ?? [] })
      const stopDirect = dialOfficersDirectly({ libp2p, messenger, trust })
      return () => {
        stopDirect()
        stopLink()
      }
    }
  })
}
