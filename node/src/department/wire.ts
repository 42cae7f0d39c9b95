import * as contract from '@dak/protocol/department'
import type { rpc } from '@dak/protocol'
import { departmentErrorFromWire } from './errors.js'

/** contract.decodeResponse, an `error` answer thrown as the department's typed error of that name. */
export function decodeResponse<K extends contract.ResponseCase> (bytes: Uint8Array, kase: K, maxBytes: number): NonNullable<rpc.Response[K]> {
  return contract.decodeResponse(bytes, kase, maxBytes, departmentErrorFromWire)
}
