import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import type { ConversationSummary } from '../../node/src/messenger/api.js'
import { waitFor } from '../helpers/wait.js'
import type { DepartmentWorld } from '../messenger/department.js'

/** Helpers for the attachment tests (docs/files.md): two officers in a direct chat, files with a plaintext marker. */

export const MARKER = Buffer.from('DAK-PLAINTEXT-MARKER-7f3a9c')

/** Random bytes (incompressible, like a photo or a PDF) with the marker every 64 KiB, so any plaintext copy on a disk is found. */
export function markedFile (size: number): Uint8Array {
  const bytes = new Uint8Array(randomBytes(size))
  for (let at = 0; at + MARKER.length <= size; at += 64 * 1024) bytes.set(MARKER, at)
  return bytes
}

/** Every regular file under `dir` that contains `needle`. */
export async function filesContaining (dir: string, needle: Uint8Array): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if (Buffer.from(await readFile(path)).indexOf(needle) >= 0) found.push(path)
  }
  return found
}

export async function directChat (world: DepartmentWorld, a: OpenDevice, b: OpenDevice): Promise<ConversationSummary> {
  for (const d of [a, b]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
  const other = b.messenger.whoami().handle
  await waitFor(`knows ${other}`, async () => (await a.messenger.contacts()).some(c => c.handle === other), { timeoutMs: 20_000 })
  const chat = await a.messenger.startDirect(other)
  await waitFor('joined', async () => (await b.messenger.conversations()).some(c => c.id === chat.id), { timeoutMs: 60_000 })
  return chat
}

/** The message carrying file `fileId`, once `device` has it. */
export async function fileMessage (device: OpenDevice, conversationId: string, fileId: string) {
  return await waitFor('the file message arrives', async () => (await device.messenger.history(conversationId)).messages.find(m => m.attachment?.fileId === fileId), { timeoutMs: 60_000 })
}
