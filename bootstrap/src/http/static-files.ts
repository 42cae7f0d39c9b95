import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json'
}

export interface StaticFile { body: Uint8Array, contentType: string }

/**
 * Resolve a URL path to a file under `root`, refusing anything that escapes it.
 * Unknown paths fall back to index.html so the client's own routes work.
 */
export async function readStaticFile (root: string, urlPath: string): Promise<StaticFile | undefined> {
  const base = resolve(root)
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/')
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const candidate = resolve(join(base, normalize(decoded)))
  if (candidate !== base && !candidate.startsWith(base + sep)) return undefined
  for (const path of [candidate, join(candidate, 'index.html'), join(base, 'index.html')]) {
    try {
      if (!(await stat(path)).isFile()) continue
      return { body: await readFile(path), contentType: MIME[extname(path)] ?? 'application/octet-stream' }
    } catch {
      // not there: try the next candidate
    }
  }
  return undefined
}
