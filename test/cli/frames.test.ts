import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readConfig } from '../../node/src/cli/config.js'
import { checkRunRequest, encodeFrame, FrameReader, MAX_FRAME_BYTES, OUTPUT_CHUNK, outputFrames, PROTOCOL_VERSION } from '../../node/src/cli/running/frames.js'

/** The running-mode socket's framing (bounded, checked) and how config.json's mdns is read. */

describe('running-mode frames', () => {
  it('reassembles frames cut anywhere and refuses an oversized or malformed one', () => {
    const bytes = Buffer.concat([encodeFrame({ t: 'stdout', data: 'één' }), encodeFrame({ t: 'exit', code: 3 })])
    const reader = new FrameReader()
    const frames = [...bytes].flatMap(b => reader.push(Uint8Array.of(b)))
    expect(frames).toEqual([{ t: 'stdout', data: 'één' }, { t: 'exit', code: 3 }])

    const huge = Buffer.alloc(4)
    huge.writeUInt32BE(MAX_FRAME_BYTES + 1)
    expect(() => new FrameReader().push(huge)).toThrow(expect.objectContaining({ name: 'RunningDakProtocolError' }))
    const notJson = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('{{{')])
    expect(() => new FrameReader().push(notJson)).toThrow(expect.objectContaining({ name: 'RunningDakProtocolError' }))
    expect(() => encodeFrame({ t: 'stdout', data: 'x'.repeat(MAX_FRAME_BYTES) })).toThrow(expect.objectContaining({ name: 'RunningDakProtocolError' }))
  })

  it('cuts long output into frames under the limit, never inside a surrogate pair', () => {
    const text = 'a'.repeat(OUTPUT_CHUNK - 1) + '😀' + '\u0001'.repeat(OUTPUT_CHUNK * 2)
    const frames = [...outputFrames('stdout', text)]
    expect(frames.map(f => (f as { data: string }).data).join('')).toBe(text)
    for (const frame of frames) {
      expect(encodeFrame(frame).length).toBeLessThanOrEqual(MAX_FRAME_BYTES + 4)
      expect((frame as { data: string }).data).not.toMatch(/[\uD800-\uDBFF]$/)
    }
  })

  it('checks a run request field by field', () => {
    const good = { t: 'run', version: PROTOCOL_VERSION, argv: ['status'], dataDir: '/d', cwd: '/', stdinIsTTY: false }
    expect(checkRunRequest(good)).toEqual(good)
    for (const bad of [{ ...good, t: 'stdin' }, { ...good, version: 99 }, { ...good, argv: [1] }, { ...good, argv: 'status' }, { ...good, cwd: undefined }]) {
      expect(() => checkRunRequest(bad)).toThrow(expect.objectContaining({ name: 'RunningDakProtocolError' }))
    }
  })
})

describe('config.json mdns', () => {
  it('is on unless a version 2 config or none at all turns it off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dak-config-'))
    try {
      expect((await readConfig(dir)).mdns).toBe(true)
      const write = async (value: unknown): Promise<boolean> => { await writeFile(join(dir, 'config.json'), JSON.stringify(value)); return (await readConfig(dir)).mdns }
      expect(await write({ bootstrap: [] })).toBe(true)
      // written by the old `dak init`, whose default was false: not a choice
      expect(await write({ bootstrap: [], mdns: false })).toBe(true)
      expect(await write({ version: 2, mdns: false })).toBe(false)
      expect(await write({ version: 2, mdns: true })).toBe(true)
      await expect(write({ version: 'two' })).rejects.toThrow(expect.objectContaining({ name: 'BadConfigError' }))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
