import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'

/** A file of a copied browser profile and its bytes (what a thief with the disk reads). */
export interface ProfileFile { path: string, bytes: Buffer }

/** Every file under `dir` that can still be read (Chromium may remove some while it runs). */
export async function filesUnder (dir: string): Promise<ProfileFile[]> {
  const out: ProfileFile[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const bytes = await readFile(path).catch(() => undefined)
    if (bytes !== undefined) out.push({ path, bytes })
  }
  return out
}

/** The files holding `text` in UTF-8 or UTF-16 (IndexedDB and LevelDB keep strings either way). */
export function whereFound (files: ProfileFile[], text: string): string[] {
  const forms = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')]
  return files.filter(f => forms.some(form => f.bytes.includes(form))).map(f => f.path)
}

/** The scan's control: a record in clear in this origin's IndexedDB, which the scan of a copied profile must find. */
export async function writeControlRecord (page: Page, control: string): Promise<void> {
  await page.evaluate(async (text) => {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('scan-control', 1)
      request.onupgradeneeded = () => { request.result.createObjectStore('s') }
      request.onsuccess = () => {
        const tx = request.result.transaction('s', 'readwrite')
        tx.objectStore('s').put(text, 'k')
        tx.oncomplete = () => { request.result.close(); resolve() }
        tx.onerror = () => { reject(tx.error) }
      }
      request.onerror = () => { reject(request.error) }
    })
  }, control)
}
