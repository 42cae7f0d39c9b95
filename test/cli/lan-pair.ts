import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { writeLanConfig } from './dak-process.js'

/**
 * Asha and Bala, two `dak` devices certified by one test authority, set up
 * for a LAN with no department node (peers dialled with --peer). Each is
 * pushed to `devices` as it is made, so the caller's cleanup finds it even
 * when a later step fails.
 */
export async function lanPair (devices: ProvisionedDevice[]): Promise<[ProvisionedDevice, ProvisionedDevice]> {
  const authority = testAuthority()
  const made: ProvisionedDevice[] = []
  for (const handle of ['asha', 'bala']) {
    const device = await provisionDevice(authority, handle)
    devices.push(device)
    made.push(device)
    await writeLanConfig(device.dir)
  }
  return made as [ProvisionedDevice, ProvisionedDevice]
}
