import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import type { OpenDevice } from '../../../node/src/device/open-device.js'
import { ratio, sig } from '../lib/stats.js'
import { waitFor } from '../../helpers/wait.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'
import { DepartmentWorld } from '../../messenger/department.js'

/**
 * Issue 15: attachment throughput (docs/files.md) ÷ raw libp2p stream
 * throughput on the same loopback connection, in the same run. Two enrolled
 * devices with a real department node (all in this process, as every engine
 * benchmark); the receiver is connected to the sender directly and downloads
 * the file from it: held-chunks query, GETs of 16 chunks with 4 in flight,
 * each chunk checked against the manifest's hash and kept in the device
 * store, then every chunk decrypted and checked again. The raw figure is one
 * libp2p stream on that same connection carrying the same number of bytes
 * from the sender to the receiver, 64 KiB per send, waiting for drain.
 * Median of three rounds each, alternating; a fresh file each round (a
 * download already held would cost nothing).
 */

const RAW_PROTOCOL = '/dak-bench/raw/1.0.0'
const ROUNDS = 3
const SEND_BYTES = 64 * 1024

/** CPU seconds the whole process spent (every thread: LevelDB's too) since `since`: what other work on the machine does not move. */
function cpuSeconds (since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1e6
}

async function rawTransfer (from: OpenDevice, to: OpenDevice, bytes: number): Promise<number> {
  const start = performance.now()
  const stream = await to.libp2p.dialProtocol(peerIdFromString(from.libp2p.peerId.toString()), RAW_PROTOCOL)
  await new Promise<void>((resolve, reject) => {
    let received = 0
    stream.addEventListener('message', (evt) => {
      received += evt.data.byteLength
      if (received >= bytes) resolve()
    })
    stream.addEventListener('close', (evt) => { if (received < bytes) reject(new Error(`raw stream closed after ${received} bytes${evt.error != null ? `: ${evt.error.message}` : ''}`)) })
  })
  const seconds = (performance.now() - start) / 1000
  await stream.close().catch(() => {})
  return bytes / seconds
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const size = bench.quick ? 8_000_000 : 50_000_000
  const world = new DepartmentWorld()
  try {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    for (const d of [asha, bala]) await waitFor('bench setup', () => d.messenger.status().mode === 'department', { timeoutMs: 30_000 })
    await waitFor('bench setup', async () => (await asha.messenger.contacts()).some(c => c.handle === 'bala'), { timeoutMs: 30_000 })
    const chat = await asha.messenger.startDirect('bala')
    await waitFor('bench setup', async () => (await bala.messenger.conversations()).some(c => c.id === chat.id), { timeoutMs: 60_000 })
    await bala.libp2p.dial(asha.libp2p.getMultiaddrs()[0]!)
    await waitFor('bench setup', () => bala.libp2p.services.directory.peers().some(p => p.peer.toString() === asha.libp2p.peerId.toString()), { timeoutMs: 30_000 })
    // the raw side: the sender's node pushes `size` bytes on a plain stream of the same connection
    const payload = new Uint8Array(randomBytes(SEND_BYTES))
    await asha.libp2p.handle(RAW_PROTOCOL, async (stream) => {
      for (let sent = 0; sent < size; sent += SEND_BYTES) {
        if (!stream.send(payload.subarray(0, Math.min(SEND_BYTES, size - sent)))) await stream.onDrain()
      }
      await stream.close()
    })
    const raw: number[] = []
    const files: number[] = []
    /** Bytes per CPU second, each side: the same comparison, not skewed by other processes taking the cores. */
    const rawCpu: number[] = []
    const filesCpu: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const rawCpuStart = process.cpuUsage()
      raw.push(await rawTransfer(asha, bala, size))
      rawCpu.push(size / cpuSeconds(rawCpuStart))
      const sent = await asha.messenger.sendFile(chat.id, { bytes: new Uint8Array(randomBytes(size)), name: `bench-${round}.bin`, mediaType: 'application/octet-stream' })
      const fileId = sent.attachment!.fileId
      const message = await waitFor('bench setup', async () => (await bala.messenger.history(chat.id)).messages.find(m => m.attachment?.fileId === fileId), { timeoutMs: 60_000 })
      // the sender's upload to the department node runs meanwhile in real use; here it is done first so it does not share the CPU
      await waitFor('bench setup', async () => ((await asha.store.files.get(fileId))?.uploadedTo.length ?? 0) > 0, { timeoutMs: 120_000 })
      // the department node is not asked: the receiver fetches from the sender, over the link the raw stream used
      const cpuStart = process.cpuUsage()
      const start = performance.now()
      const file = await bala.messenger.download(message.id)
      const seconds = (performance.now() - start) / 1000
      filesCpu.push(size / cpuSeconds(cpuStart))
      if (file.bytes.length !== size) throw new Error('the download came back the wrong size')
      files.push(size / seconds)
      bench.progress(`round ${round + 1}: raw ${sig(raw.at(-1)! / 1e6)} MB/s, file ${sig(files.at(-1)! / 1e6)} MB/s; per CPU second raw ${sig(rawCpu.at(-1)! / 1e6)} MB, file ${sig(filesCpu.at(-1)! / 1e6)} MB`)
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const fileRate = median(files)
    const rawRate = median(raw)
    const figures: Figure[] = [{
      key: 'files.transfer-vs-raw-stream',
      label: `attachment download (${size / 1e6} MB, checked and decrypted) ÷ raw libp2p stream, same loopback connection`,
      value: sig(fileRate / 1e6),
      unit: 'MB/s',
      baseline: { label: 'raw libp2p stream, same bytes', value: sig(rawRate / 1e6), unit: 'MB/s' },
      ratio: ratio(fileRate, rawRate),
      target: { text: '≥ 0.7', met: fileRate / rawRate >= 0.7 },
      note: 'receiver fetches from the sender directly (the department node holds the file too but is asked after the sender); device stores plain, not sealed at rest; everything in one process'
    }, {
      key: 'files.transfer-vs-raw-stream-cpu',
      label: 'the same, per CPU second of the process (all threads; other work on the machine does not move it)',
      value: sig(median(filesCpu) / 1e6),
      unit: 'MB per CPU s',
      baseline: { label: 'raw libp2p stream, same bytes', value: sig(median(rawCpu) / 1e6), unit: 'MB per CPU s' },
      ratio: ratio(median(filesCpu), median(rawCpu)),
      note: `CPU time of the whole process during each transfer (user + system, every thread, LevelDB's included), median of the rounds; wall-clock throughput on 2 shared cores swings with the other work on them. Rounds (MB/s raw, file; MB per CPU s raw, file): ${raw.map((r, i) => `${sig(r / 1e6)}, ${sig(files[i]! / 1e6)}; ${sig(rawCpu[i]! / 1e6)}, ${sig(filesCpu[i]! / 1e6)}`).join(' | ')}`
    }]
    return { figures, details: { size, raw, files, rawCpu, filesCpu } }
  } finally {
    await world.stop()
  }
}

export const files: Benchmark = {
  id: 'files',
  title: 'Attachment transfer ÷ raw libp2p stream',
  budgetSeconds: { full: 180, quick: 60 },
  run
}
