import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from '@noble/ciphers/utils.js'
import { ClassicLevel } from 'classic-level'
import { MemoryLevel } from 'memory-level'
import { runDeviceStoreContract } from './contract/index.js'

// The whole contract again, on stores encrypted at rest: sealing must change nothing a caller can see.
runDeviceStoreContract('memory-level, sealed', async () => {
  const db = new MemoryLevel()
  return { open: () => db, destroy: async () => {}, storageKey: randomBytes(32) }
})

runDeviceStoreContract('classic-level, sealed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dak-sealed-store-'))
  return {
    open: () => new ClassicLevel(dir),
    destroy: async () => { await rm(dir, { recursive: true, force: true }) },
    storageKey: randomBytes(32)
  }
})
