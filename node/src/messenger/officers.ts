import { toHex, type Certificate } from '@dak/protocol'
import type { OfficerSummary } from './api.js'

export function officerOf (certificate: Certificate): OfficerSummary {
  return {
    handle: certificate.handle,
    displayName: certificate.displayName,
    title: certificate.title,
    department: certificate.department,
    deviceKey: toHex(certificate.devicePublicKey)
  }
}
