import { writeFile } from 'node:fs/promises'
import QRCode from 'qrcode'

/**
 * A camera picture for Chromium's fake capture device
 * (`--use-file-for-fake-video-capture=FILE.y4m`): a QR code of `text`, black
 * on white with a quiet zone, as a few frames of raw YUV 4:2:0 video that
 * Chromium loops. Chromium opens the file when a page opens the camera, so a
 * test may write it again between scans.
 */
const WIDTH = 640
const HEIGHT = 480
const FRAMES = 5
const WHITE = 235
const BLACK = 16
const QUIET_MODULES = 4

export async function writeQrVideo (path: string, text: string): Promise<void> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const scale = Math.floor(Math.min(WIDTH, HEIGHT) / (modules.size + 2 * QUIET_MODULES))
  const left = Math.floor((WIDTH - modules.size * scale) / 2)
  const top = Math.floor((HEIGHT - modules.size * scale) / 2)
  const luma = new Uint8Array(WIDTH * HEIGHT).fill(WHITE)
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column) === 0) continue
      for (let y = 0; y < scale; y++) luma.fill(BLACK, (top + row * scale + y) * WIDTH + left + column * scale, (top + row * scale + y) * WIDTH + left + (column + 1) * scale)
    }
  }
  const chroma = new Uint8Array((WIDTH / 2) * (HEIGHT / 2) * 2).fill(128)
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F5:1 Ip A1:1 C420jpeg\n`)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma])
  await writeFile(path, Buffer.concat([header, ...new Array<Buffer>(FRAMES).fill(frame)]))
}
