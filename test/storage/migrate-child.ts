import { ClassicLevel } from 'classic-level'
import { fromHex } from '@dak/protocol'
import { openDeviceStore } from '../../node/src/storage/index.js'

/**
 * Opens the plain store in argv[2] with the storage key argv[3] (hex): the
 * migration to sealed form runs, printing a JSON line after every batch so
 * the test can kill this process at a batch of its choosing.
 */
const [dir, keyHex] = process.argv.slice(2)
if (dir === undefined || keyHex === undefined) throw new Error('usage: migrate-child DIR KEYHEX')
const store = await openDeviceStore(new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' }), {
  storageKey: fromHex(keyHex),
  onMigration: (progress) => { process.stdout.write(JSON.stringify(progress) + '\n') }
})
await store.close()
process.stdout.write('{"done":true}\n')
