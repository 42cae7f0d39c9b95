import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHttpServer, type HttpServer } from './server.js'

/**
 * The web client's content-hashed files may be cached for good, so a reload
 * asks for index.html and little else: on 2G that is the whole page's bytes
 * saved, and a tab reloaded fifty times no longer ran out of its address's
 * request allowance (429s from load 17: test/web/browser-reloads.test.ts).
 * Everything else — the page, unknown paths that fall back to it — is not.
 */

let root: string
let server: HttpServer

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dak-web-root-'))
  await mkdir(join(root, 'assets'))
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Dak</title>')
  await writeFile(join(root, 'assets', 'device-Qj07z_vD.js'), 'export const x = 1')
  await writeFile(join(root, 'assets', 'plain.js'), 'export const y = 2')
  server = await startHttpServer({ host: '127.0.0.1', port: 0, webRoot: root, routes: {}, maxBodyBytes: 1024 })
})

afterAll(async () => {
  await server?.close()
  await rm(root, { recursive: true, force: true })
})

async function cacheControlOf (path: string): Promise<{ status: number, cacheControl: string | null, body: string }> {
  const response = await fetch(new URL(path, server.url))
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: await response.text() }
}

describe('caching of the web client', () => {
  it('lets a browser keep a hashed build file for good', async () => {
    expect(await cacheControlOf('/assets/device-Qj07z_vD.js')).toEqual({ status: 200, cacheControl: 'public, max-age=31536000, immutable', body: 'export const x = 1' })
  })

  it('never lets it keep the page, a file without a hash, or the page served for an unknown asset', async () => {
    expect((await cacheControlOf('/')).cacheControl).toBe('no-store')
    expect((await cacheControlOf('/index.html')).cacheControl).toBe('no-store')
    expect((await cacheControlOf('/assets/plain.js')).cacheControl).toBe('no-store')
    const fallback = await cacheControlOf('/assets/gone-AbCdEfGh.js')
    expect(fallback.body).toContain('<title>Dak</title>')
    expect(fallback.cacheControl).toBe('no-store')
  })
})
