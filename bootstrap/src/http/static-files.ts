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

export interface StaticFile {
  body: Uint8Array
  contentType: string
  /**
   * A content-hashed build file (`/assets/name-HASH.js`, what vite emits):
   * its name changes whenever its bytes do, so a browser may keep it for good.
   * A page reload then fetches index.html and little else — fewer bytes on 2G,
   * and a reloaded tab no longer spends dozens of requests from its address's
   * allowance (docs/department-node.md, HTTP limits).
   */
  immutable: boolean
}

/** vite's asset names: name, a hash of 8 or more URL-safe characters, extension. */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

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
      // only the file asked for is immutable, never the index.html an unknown path falls back to
      return { body: await readFile(path), contentType: MIME[extname(path)] ?? 'application/octet-stream', immutable: path === candidate && HASHED_ASSET.test(decoded) }
    } catch {
      // not there: try the next candidate
    }
  }
  return undefined
}
