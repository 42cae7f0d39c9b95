/**
 * A small preview of an image, made in this browser and sent inside the
 * message (docs/files.md, the manifest's `thumbnail`), so members see the
 * picture before they download it. Loaded only when an image is sent.
 */
import { THUMBNAIL_EDGE_PX, THUMBNAIL_TARGET_BYTES } from './limits.js'

/** Smaller edges and lower qualities tried in turn until the preview fits the target. */
const ATTEMPTS: ReadonlyArray<{ edge: number, quality: number }> = [
  { edge: THUMBNAIL_EDGE_PX, quality: 0.7 },
  { edge: THUMBNAIL_EDGE_PX, quality: 0.5 },
  { edge: 240, quality: 0.5 },
  { edge: 160, quality: 0.5 },
  { edge: 96, quality: 0.4 }
]

/**
 * WebP where the browser encodes it (Chromium), else JPEG; undefined when the
 * image cannot be decoded here (the file still goes, as a card). Never larger
 * than THUMBNAIL_TARGET_BYTES.
 */
export async function makeThumbnail (image: Blob): Promise<Uint8Array | undefined> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(image)
  } catch (err) {
    console.warn('This image could not be decoded for a preview; it is sent without one', err)
    return undefined
  }
  try {
    for (const { edge, quality } of ATTEMPTS) {
      const scale = Math.min(1, edge / Math.max(bitmap.width, bitmap.height))
      const width = Math.max(1, Math.round(bitmap.width * scale))
      const height = Math.max(1, Math.round(bitmap.height * scale))
      const canvas = new OffscreenCanvas(width, height)
      const context = canvas.getContext('2d')
      if (context === null) return undefined
      context.drawImage(bitmap, 0, 0, width, height)
      let blob = await canvas.convertToBlob({ type: 'image/webp', quality })
      // a browser that cannot encode WebP answers with PNG, which is too large for a preview
      if (blob.type !== 'image/webp') blob = await canvas.convertToBlob({ type: 'image/jpeg', quality })
      if (blob.size <= THUMBNAIL_TARGET_BYTES) return new Uint8Array(await blob.arrayBuffer())
    }
    return undefined
  } finally {
    bitmap.close()
  }
}
