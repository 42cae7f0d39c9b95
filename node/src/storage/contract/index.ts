import { describe } from 'vitest'
import { atomicContract } from './atomic.contract.js'
import { everydayContract } from './everyday.contract.js'
import { expiryContract } from './expiry.contract.js'
import type { MakeLocation } from './fixtures.js'
import { historyContract } from './history.contract.js'
import { messageContract } from './messages.contract.js'
import { outboxContract } from './outbox.contract.js'
import { repositoryContract } from './repositories.contract.js'

export type { ContractDatabase, ContractLocation, MakeLocation } from './fixtures.js'

/**
 * The one contract every device-store backend must meet: run it inside a
 * vitest file with a factory of fresh locations. Node runs it against
 * classic-level and memory-level; the browser tests run it against
 * browser-level in Chromium.
 */
export function runDeviceStoreContract (name: string, makeLocation: MakeLocation): void {
  describe(`device store contract: ${name}`, () => {
    historyContract(makeLocation)
    messageContract(makeLocation)
    outboxContract(makeLocation)
    atomicContract(makeLocation)
    repositoryContract(makeLocation)
    everydayContract(makeLocation)
    expiryContract(makeLocation) // disappearing messages
  })
}
