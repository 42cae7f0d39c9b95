/**
 * Child process for the client crash test: opens a device with no peers,
 * sends one message (which can only be queued), reports it, then waits to be
 * killed with SIGKILL. argv: <db dir> <conversation id> <text>
 */
import { ClassicLevel } from 'classic-level'
import { openDevice } from '../../node/src/device/open-device.js'

const [dir, conversationId, text] = process.argv.slice(2)
if (dir == null || conversationId == null || text == null) throw new Error('usage: crash-sender <db dir> <conversation> <text>')
const device = await openDevice({ db: new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' }), listen: [] })
const message = await device.messenger.send(conversationId, text)
process.stdout.write(`QUEUED ${message.id}\n`)
setInterval(() => {}, 60_000)
