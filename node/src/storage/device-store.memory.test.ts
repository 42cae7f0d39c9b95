import { MemoryLevel } from 'memory-level'
import { runDeviceStoreContract } from './contract/index.js'

// One MemoryLevel per location: it keeps its data across close() and open(),
// which is what the reopen tests need.
runDeviceStoreContract('memory-level', async () => {
  const db = new MemoryLevel()
  return { open: () => db, destroy: async () => {} }
})
