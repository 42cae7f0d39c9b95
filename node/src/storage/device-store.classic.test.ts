import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { describe, expect, it } from 'vitest'
import { runDeviceStoreContract } from './contract/index.js'
import { openDeviceStore } from './device-store.js'
import { StorageUnavailableError } from './errors.js'

// A real LevelDB in a fresh temp dir per test; reopening means a new handle on the same dir.
runDeviceStoreContract('classic-level', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dak-store-'))
  return {
    open: () => new ClassicLevel(dir),
    destroy: async () => { await rm(dir, { recursive: true, force: true }) }
  }
})

describe('classic-level specifics', () => {
  it('refuses a second store on a directory that is in use, with a typed error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dak-store-'))
    const first = await openDeviceStore(new ClassicLevel(dir))
    try {
      await expect(openDeviceStore(new ClassicLevel(dir))).rejects.toThrow(StorageUnavailableError)
      await first.seen.add('still-works', 1)
      expect(await first.seen.has('still-works')).toBe(true)
    } finally {
      await first.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
