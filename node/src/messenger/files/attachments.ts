import { DakError, DEFAULT_MAX_FILE_BYTES, decodeManifest } from '@dak/protocol'
import type { AutoDownload, ChatMessage, DownloadedFile, FileProgress, OutgoingFile } from '../api.js'
import type { EngineContext } from '../context.js'
import { errorDetail } from '../events.js'
import { fetchFile } from './download.js'
import { deviceChunkHolder } from './holder.js'
import type { ChunkNetwork, ChunkPeer } from './ports.js'
import { queueFile } from './send.js'
import { uploadFile } from './uploads.js'
import { autoDownloadLimit, DEFAULT_AUTO_DOWNLOAD_BYTES, setAutoDownloadLimit } from './auto-download.js'

/** A download with no chunk arriving for this long fails (FileUnavailableError); the chunks kept stay for the next try. */
export const DEFAULT_DOWNLOAD_PATIENCE_MS = 60_000

export interface AttachmentOptions {
  /** Largest file this device sends (default 100 MiB). */
  maxFileBytes?: number
  /** Incoming files up to this size are fetched at once when neither the officer nor the department chose (default 1 MB; 0: never). */
  autoDownloadBytes?: number
  patienceMs?: number
}

export interface Attachments {
  sendFile: (conversationId: string, file: OutgoingFile) => Promise<ChatMessage>
  download: (messageId: string, options?: { signal?: AbortSignal }) => Promise<DownloadedFile>
  fileStatus: (messageId: string) => Promise<FileProgress>
  autoDownload: () => Promise<AutoDownload>
  setAutoDownload: (bytes: number | null) => Promise<AutoDownload>
  stop: () => Promise<void>
}

export class NoAttachmentError extends DakError { override name = 'NoAttachmentError' }

/**
 * Attachments over a chunk network (docs/files.md): send (keep, then send
 * the manifest as a message, then upload to department nodes), download
 * (resume, check, decrypt), auto-download of small files, and serving this
 * device's chunks to others. Its own module so the messenger only wires it.
 */
export async function startAttachments (ctx: EngineContext, network: ChunkNetwork, options: AttachmentOptions = {}): Promise<Attachments> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const autoBytes = options.autoDownloadBytes ?? DEFAULT_AUTO_DOWNLOAD_BYTES
  const patienceMs = options.patienceMs ?? DEFAULT_DOWNLOAD_PATIENCE_MS
  const stopping = new AbortController()
  const running = new Map<string, Promise<DownloadedFile>>()
  const uploading = new Map<string, Promise<void>>()
  await network.serve(deviceChunkHolder(ctx.store.files))

  async function fileOf (messageId: string) {
    const message = await ctx.store.messages.get(messageId)
    if (message?.attachment == null) throw new NoAttachmentError(`message ${messageId} carries no file`)
    const file = await ctx.store.files.get(message.attachment.fileId)
    if (file == null) throw new NoAttachmentError(`the file of message ${messageId} is not known on this device`)
    return { message, file, manifest: decodeManifest(file.manifest) }
  }

  function progress (messageId: string, fileId: string, manifest: { size: number, chunkSize: number, chunkHashes: Uint8Array[] }, held: number, state: FileProgress['state'], error?: unknown): FileProgress {
    return {
      messageId, fileId, held, total: manifest.chunkHashes.length, size: manifest.size, bytes: Math.min(manifest.size, held * manifest.chunkSize), state,
      ...(error != null ? { error: errorDetail(error) } : {})
    }
  }

  async function download (messageId: string, signal?: AbortSignal): Promise<DownloadedFile> {
    const { message, file, manifest } = await fileOf(messageId)
    const already = running.get(file.fileId)
    if (already != null) return await already
    const emit = (held: number, state: FileProgress['state'], error?: unknown): void => { ctx.emitter.emit('file-progress', progress(messageId, file.fileId, manifest, held, state, error)) }
    const run = (async () => {
      let held = 0
      try {
        const bytes = await fetchFile({
          fileId: file.fileId,
          manifest,
          senderKey: message.sender.deviceKey,
          network,
          files: ctx.store.files,
          patienceMs,
          signal: signal != null ? AbortSignal.any([signal, stopping.signal]) : stopping.signal,
          onProgress: (n) => {
            held = n
            if (n < manifest.chunkHashes.length) emit(n, 'downloading')
          }
        })
        emit(manifest.chunkHashes.length, 'complete')
        return { name: manifest.name, mediaType: manifest.mediaType, bytes }
      } catch (err) {
        emit(held, 'failed', err)
        throw err
      }
    })().finally(() => { running.delete(file.fileId) })
    running.set(file.fileId, run)
    return await run
  }

  /** Upload every sent file a department node does not hold whole yet, one node and one file at a time. */
  function uploadTo (department: ChunkPeer): void {
    if (uploading.has(department.id)) return
    const work = (async () => {
      for (const file of await ctx.store.files.sentNotUploaded(department.id)) {
        if (stopping.signal.aborted || !network.peers().some(p => p.id === department.id)) return
        await uploadFile(network, ctx.store.files, department, file, stopping.signal)
      }
    })().catch((err: unknown) => {
      if (!stopping.signal.aborted) ctx.emitter.emit('error', errorDetail(err))
    }).finally(() => { uploading.delete(department.id) })
    uploading.set(department.id, work)
  }
  const uploadEverywhere = (): void => { for (const peer of network.peers()) if (peer.kind === 'department') uploadTo(peer) }
  const offPeers = network.onPeersChanged(uploadEverywhere)
  uploadEverywhere()

  const offMessages = ctx.emitter.on('message', (message) => {
    if (message.fromMe || message.attachment == null) return
    const size = message.attachment.size
    void autoDownloadLimit(ctx, autoBytes).then(async (limit) => {
      if (size > limit.bytes || stopping.signal.aborted) return
      await download(message.id)
    }).catch(() => { /* a failed download is reported as a 'failed' file-progress event; the officer can ask again */ })
  })

  return {
    async sendFile (conversationId, outgoing) {
      const { message } = await queueFile(ctx, conversationId, outgoing, maxFileBytes)
      uploadEverywhere()
      return message
    },
    download: async (messageId, options) => await download(messageId, options?.signal),
    async fileStatus (messageId) {
      const { file, manifest } = await fileOf(messageId)
      const held = (await ctx.store.files.heldAmong(file.fileId, manifest.chunkHashes.length)).length
      return progress(messageId, file.fileId, manifest, held, held === manifest.chunkHashes.length ? 'complete' : 'downloading')
    },
    autoDownload: async () => await autoDownloadLimit(ctx, autoBytes),
    setAutoDownload: async (bytes) => await setAutoDownloadLimit(ctx, bytes, autoBytes),
    async stop () {
      offPeers()
      offMessages()
      stopping.abort()
      await Promise.allSettled([...running.values(), ...uploading.values()])
    }
  }
}
