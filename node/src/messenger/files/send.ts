import { encodeAppContent, encodeManifest, sealFile, toBase64Url, toHex, type SealedFile } from '@dak/protocol'
import type { ChatMessage, OutgoingFile } from '../api.js'
import type { EngineContext } from '../context.js'
import { expiryFor } from '../disappearing.js'
import { officerOf } from '../officers.js'
import { OUTBOX } from '../outgoing.js'
import { localMessageId, newClientId } from '../sealing.js'
import { LANE } from '../precedence-lanes.js'

/** Chunks written per level batch while a sent file is kept: a 100 MiB file is not one 100 MiB write. */
const KEEP_BATCH_CHUNKS = 64

/**
 * Encrypt a file, keep its chunks, then write the message that carries its
 * manifest (message, outbox entry and file record in one commit) before
 * anything touches the network. Chunks first: a crash between the two leaves
 * chunks nobody points at, never a message whose file is not here.
 */
export async function queueFile (ctx: EngineContext, conversationId: string, file: OutgoingFile, maxBytes: number): Promise<{ message: ChatMessage, sealed: SealedFile }> {
  const sealed = sealFile(file.bytes, { name: file.name, mediaType: file.mediaType, ...(file.thumbnail != null ? { thumbnail: file.thumbnail } : {}), ...(file.durationMs != null ? { durationMs: file.durationMs } : {}) }, ctx.randomBytes, maxBytes)
  const fileId = toHex(sealed.fileId)
  for (let first = 0; first < sealed.chunks.length; first += KEEP_BATCH_CHUNKS) {
    await ctx.store.files.putChunks(fileId, first, sealed.chunks.slice(first, first + KEEP_BATCH_CHUNKS))
  }
  const id = localMessageId(ctx)
  // disappearing messages: a file goes with its message, on every device and at the node
  const conversation = await ctx.store.conversations.get(conversationId)
  const sentAt = ctx.now()
  const expiresAt = conversation == null ? undefined : expiryFor(ctx, conversation, sentAt)
  const expiry = expiresAt != null ? { expiresAt } : {}
  const payload = encodeAppContent({ kind: 'file', file: sealed.manifest, clientId: newClientId(ctx) })
  const message: ChatMessage = {
    id, conversationId, sender: officerOf(ctx.keys.certificate), fromMe: true, kind: 'file', text: file.name, sentAt, state: 'queued',
    attachment: attachmentOf(fileId, sealed.manifest), ...expiry
  }
  await ctx.store.commit([
    { type: 'file-put', file: { fileId, conversationId, manifest: encodeManifest(sealed.manifest), fromMe: true, createdAt: message.sentAt, uploadedTo: [], ...expiry } },
    { type: 'message-add', message },
    { type: 'outbox-add', entry: { id, conversationId, kind: OUTBOX.text, payload, createdAt: message.sentAt, lane: LANE.routine } }
  ])
  ctx.emitter.emit('message', message)
  ctx.kick()
  return { message, sealed }
}

/** What a message shows of its file. */
export function attachmentOf (fileId: string, manifest: { name: string, mediaType: string, size: number, thumbnail?: Uint8Array, durationMs?: number }): NonNullable<ChatMessage['attachment']> {
  return {
    fileId,
    name: manifest.name,
    mediaType: manifest.mediaType,
    size: manifest.size,
    ...(manifest.thumbnail != null ? { thumbnail: toBase64Url(manifest.thumbnail) } : {}),
    ...(manifest.durationMs != null ? { durationMs: manifest.durationMs } : {})
  }
}
