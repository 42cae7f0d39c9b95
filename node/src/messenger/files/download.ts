import { checkChunk, ChunkIntegrityError, CHUNK_TAG_BYTES, DakError, FileUnavailableError, fromHex, openCheckedChunk, type FileManifest } from '@dak/protocol'
import { CHUNK_BATCH_BYTES, MAX_CHUNKS_PER_MESSAGE } from '../../net/chunks.js'
import type { FileRepository } from '../../storage/files.js'
import type { ChunkNetwork, ChunkPeer } from './ports.js'

/**
 * Fetching one file's chunks (docs/files.md, "Download and resume"). What is
 * already kept is never fetched again: the missing chunks are read from the
 * store, so a download that stopped (dropped link, closed app, crash) goes on
 * from the last checked chunk. Each chunk is checked against the manifest's
 * hash before it is kept; a peer that serves one bad chunk is asked nothing
 * more for this file, and the chunk is fetched from the next peer. A few
 * batches are in flight at once so the link's round trip does not set the
 * pace. With nobody left to ask, it waits for the peers to change, up to
 * `patienceMs` without progress, then fails with FileUnavailableError.
 *
 * The file is opened as it arrives: a checked chunk is decrypted (its AEAD
 * tag checked) into the file straight away, so the end is not a second pass
 * that reads every chunk back from the store, hashes it again and decrypts
 * it. Chunks kept by an earlier try are read back in batches, checked and
 * opened first. Once every chunk is held, every one has passed its hash and
 * its tag: the file is verified.
 */
export interface FetchOptions {
  fileId: string
  manifest: FileManifest
  /** Hex device key of the file's sender: asked first when connected. */
  senderKey?: string
  network: ChunkNetwork
  files: FileRepository
  onProgress: (held: number) => void
  signal?: AbortSignal
  patienceMs: number
  /** Batches in flight at once per peer. */
  window?: number
}

export const DEFAULT_WINDOW = 4
/** How long to wait before asking the same peers again when none had what is missing. */
const RETRY_MS = 1_000

/** Peers in the order they are asked: the sender, the department nodes, then other devices. */
function ordered (peers: ChunkPeer[], senderKey: string | undefined, refused: Set<string>): ChunkPeer[] {
  const rank = (p: ChunkPeer): number => p.deviceKey != null && p.deviceKey === senderKey ? 0 : p.kind === 'department' ? 1 : 2
  return peers.filter(p => !refused.has(p.id)).sort((a, b) => rank(a) - rank(b))
}

/** Runs of consecutive missing indexes, each at most `max` long. */
function runsOf (missing: number[], max: number): Array<{ first: number, count: number }> {
  const runs: Array<{ first: number, count: number }> = []
  for (const index of missing) {
    const last = runs[runs.length - 1]
    if (last != null && last.first + last.count === index && last.count < max) last.count++
    else runs.push({ first: index, count: 1 })
  }
  return runs
}

export async function fetchFile (options: FetchOptions): Promise<Uint8Array> {
  const { manifest, files, network, fileId } = options
  const total = manifest.chunkHashes.length
  const id = fromHex(fileId)
  // what one answer holds: chunks with their tags within the batch size (the holder stops there)
  const perBatch = Math.max(1, Math.min(MAX_CHUNKS_PER_MESSAGE, Math.floor(CHUNK_BATCH_BYTES / (manifest.chunkSize + CHUNK_TAG_BYTES))))
  /** The plaintext, filled in as chunks are opened: the file is returned whole, so it is held whole anyway. */
  const out = new Uint8Array(manifest.size)
  /** Chunks kept in the store and opened into `out`. */
  const held = new Set<number>()
  /** A chunk that matched its hash but did not decrypt: the manifest itself is wrong, and no peer can mend that. */
  let broken: ChunkIntegrityError | undefined
  await openKept()
  options.onProgress(held.size)
  /** Peers that served a chunk that failed its check: never asked again for this file. */
  const refused = new Set<string>()
  let lastProgress = Date.now()
  let lastError: unknown

  while (held.size < total) {
    options.signal?.throwIfAborted()
    const before = held.size
    for (const peer of ordered(network.peers(), options.senderKey, refused)) {
      if (held.size >= total) break
      try {
        await fetchFrom(peer)
      } catch (err) {
        options.signal?.throwIfAborted()
        lastError = err
      }
      if (broken != null) throw broken
    }
    if (held.size > before) {
      lastProgress = Date.now()
      continue
    }
    if (Date.now() - lastProgress > options.patienceMs) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : ''
      throw new FileUnavailableError(`${total - held.size} of ${total} chunks could not be fetched from anyone reachable${why}`)
    }
    await peersChangeOrTimeout(network, RETRY_MS, options.signal)
  }
  // the bytes are in memory, not read back from the store: a file whose message went meanwhile (expired, deleted) is not handed out
  if (await files.get(fileId) == null) throw new FileUnavailableError('the file was removed from this device while it was being downloaded (its message expired or was deleted)')
  return out

  /** Decrypt checked chunk `index` into the file; a failure marks the file broken. */
  function place (index: number, chunk: Uint8Array): boolean {
    try {
      out.set(openCheckedChunk(manifest, index, chunk), index * manifest.chunkSize)
      return true
    } catch (err) {
      if (!(err instanceof ChunkIntegrityError)) throw err
      broken = new ChunkIntegrityError(`${err.message}: the file's manifest does not match its chunks`)
      return false
    }
  }

  /**
   * Chunks kept by an earlier try, read back a batch at a time (never the
   * whole file from the store at once), each checked against its hash and
   * opened. One that no longer matches (a damaged disk) is left out of
   * `held`, so it is fetched again and overwritten.
   */
  async function openKept (): Promise<void> {
    for (const run of runsOf(await files.heldAmong(fileId, total), perBatch)) {
      options.signal?.throwIfAborted()
      const chunks = await files.chunksFrom(fileId, run.first, run.count)
      for (const [i, chunk] of chunks.entries()) {
        const index = run.first + i
        try {
          checkChunk(manifest.chunkHashes, index, chunk)
        } catch (err) {
          if (!(err instanceof ChunkIntegrityError)) throw err
          continue // fetched again below: the fetch overwrites it
        }
        if (!place(index, chunk)) throw broken ?? new ChunkIntegrityError(`chunk ${index} does not open`)
        held.add(index)
      }
    }
  }

  /** Fetch what this peer has of the missing chunks, `window` batches at a time, keeping each checked batch. */
  async function fetchFrom (peer: ChunkPeer): Promise<void> {
    // asked first what it holds: a peer without the file costs one round trip, not one per batch
    const theirs = await network.held(peer, id, options.signal != null ? { signal: options.signal } : {})
    if (theirs.total !== total) return
    const queue = runsOf(theirs.held.filter(i => !held.has(i)), perBatch)
    const batchesAtOnce = options.window ?? DEFAULT_WINDOW
    // checked batches are written one after another while the next ones are already being fetched;
    // at most `window` wait to be written, so a slow disk slows the fetching instead of filling memory
    let writing: Promise<void> = Promise.resolve()
    let waitingToBeWritten = 0
    const keep = (first: number, good: Uint8Array[]): void => {
      waitingToBeWritten++
      writing = writing.then(async () => {
        await files.putChunks(fileId, first, good)
        for (let i = 0; i < good.length; i++) held.add(first + i)
        lastProgress = Date.now()
        options.onProgress(held.size)
      }).finally(() => { waitingToBeWritten-- })
    }
    const worker = async (): Promise<void> => {
      for (let run = queue.shift(); run != null; run = queue.shift()) {
        while (waitingToBeWritten >= batchesAtOnce) await writing.catch(() => {})
        if (refused.has(peer.id) || broken != null) return
        const got = await network.get(peer, id, run.first, run.count, options.signal != null ? { signal: options.signal } : {})
        const good: Uint8Array[] = []
        for (const [i, chunk] of got.slice(0, run.count).entries()) {
          try {
            checkChunk(manifest.chunkHashes, run.first + i, chunk)
          } catch (err) {
            if (!(err instanceof ChunkIntegrityError)) throw err
            refused.add(peer.id)
            lastError = new ChunkIntegrityError(`peer ${peer.id} served a chunk that does not match the manifest (refused; asking others)`)
            break
          }
          // checked, so opened now, while it is at hand; its hash is not computed again
          if (!place(run.first + i, chunk)) break
          good.push(chunk)
        }
        if (good.length > 0) keep(run.first, good)
        if (broken != null) return
      }
    }
    const results = await Promise.allSettled([...Array.from({ length: batchesAtOnce }, worker)])
    await writing
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed != null) throw failed.reason instanceof DakError || failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason))
  }
}

async function peersChangeOrTimeout (network: ChunkNetwork, ms: number, signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      off()
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    const off = network.onPeersChanged(done)
    signal?.addEventListener('abort', done, { once: true })
  })
  signal?.throwIfAborted()
}
