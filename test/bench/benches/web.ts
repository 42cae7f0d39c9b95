import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { startHttpServer } from '../../../bootstrap/src/http/server.js'
import { fetchNodeInfo } from '../../../node/src/department/index.js'
import { median, ratio, sig } from '../lib/stats.js'
import { engineHooks, type WebClientScenario } from '../engine/hooks.js'
import { pendingFigure } from '../engine/measure.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Figure 8: the web client.
 *
 * - `web.dist`: web/dist — the whole client, UI and browser device (libp2p,
 *   MLS, store) — gzipped (level 9) as a server would send it; built first if
 *   missing or older than its sources. Full runs divide it by the raw page (test/bench/web/raw-page:
 *   plain js-libp2p with the same browser transports + gossipsub), built
 *   with the client's own web/vite.config.ts.
 * - `web.page-load` (full runs only): page load → connected in Chromium, an
 *   enrolled client served by a department node (engineHooks.startWebClient),
 *   ÷ the raw page dialling the same node's WebSocket address.
 */

const here = fileURLToPath(new URL('.', import.meta.url))
const root = resolve(here, '../../..')
const dist = join(root, 'web', 'dist')
const RAW_PAGE = join(here, '..', 'web', 'raw-page')
const SHIPPED = /\.(js|mjs|css|html|wasm|svg|json|woff2?)$/
const KB = 1000
/** Page loads per side, interleaved (Dak, raw, Dak, …); the figure is their median. */
const LOADS = 5
/** Bounds a failure only: the raw page connects in well under a second on loopback. */
const RAW_CONNECT_MS = 30_000

async function files (dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...await files(path))
    else if (SHIPPED.test(entry.name)) out.push(path)
  }
  return out
}

interface Size { files: number, bytes: number, gzip: number, largest: Array<{ file: string, gzip: number }> }

async function measureFiles (dir: string, list: string[]): Promise<Size> {
  const size: Size = { files: 0, bytes: 0, gzip: 0, largest: [] }
  for (const file of list) {
    const bytes = await readFile(file)
    const gz = gzipSync(bytes, { level: 9 }).length
    size.files++
    size.bytes += (await stat(file)).size
    size.gzip += gz
    size.largest.push({ file: relative(dir, file), gzip: gz })
  }
  size.largest = size.largest.sort((a, b) => b.gzip - a.gzip).slice(0, 5)
  return size
}

async function measureDir (dir: string): Promise<Size> {
  return await measureFiles(dir, await files(dir))
}

/** What the page fetches before its first paint: index.html and the assets it names (the rest comes by import()). */
async function measureFirstPaint (dir: string): Promise<Size> {
  const html = await readFile(join(dir, 'index.html'), 'utf8')
  const named = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map(m => join(dir, m[1] ?? ''))
  return await measureFiles(dir, [join(dir, 'index.html'), ...new Set(named)])
}

/** The raw baseline page, built with the web client's own Vite configuration (same plugins, target, minifier). */
async function buildRawPage (outDir: string): Promise<void> {
  const { build } = await import('vite')
  await build({
    configFile: join(root, 'web', 'vite.config.ts'),
    root: RAW_PAGE,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, reportCompressedSize: false }
  })
}

/** What web/dist is built from: a change to any of these since the last build makes it stale. */
const SOURCES = ['web/index.html', 'web/vite.config.ts', 'web/build', 'web/src', 'node/src', 'protocol/src', 'package-lock.json'].map(p => join(root, p))

async function newestChange (path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs)
  }
  return newest
}

/** Why web/dist must be built before measuring, or undefined when it is current. */
async function distOutdated (): Promise<string | undefined> {
  const index = join(dist, 'index.html')
  if (!existsSync(index)) return 'web/dist is missing'
  const built = (await stat(index)).mtimeMs
  for (const source of SOURCES) {
    if (existsSync(source) && await newestChange(source) > built) return `web/dist is older than ${relative(root, source)}`
  }
  return undefined
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const outdated = await distOutdated()
  if (outdated != null) {
    bench.progress(`${outdated}: npm run build -w web`)
    // its output to stderr: stdout carries the report when a child is run by hand
    const built = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: ['ignore', 2, 2], timeout: 300_000 })
    if (built.status !== 0) throw new Error(`npm run build -w web failed (${built.status ?? built.signal ?? 'unknown'})`)
  }
  const client = await measureDir(dist)
  const firstPaint = await measureFirstPaint(dist)
  const details: Record<string, unknown> = { dist: client, firstPaint }
  const distFigure: Figure = {
    key: 'web.dist',
    label: 'web client (web/dist: UI + browser device), gzipped',
    value: sig(client.gzip / KB),
    unit: 'KB',
    target: { text: '≤ 400 KB gzipped', met: client.gzip <= 400 * KB },
    note: `${client.files} files, ${sig(client.bytes / KB)} KB raw; first paint ${sig(firstPaint.gzip / KB)} KB (index.html + ${firstPaint.files - 1} assets), the device code loaded by import() after it`
  }
  const pageLoadLabel = 'page load → connected to the department node, Chromium (p50)'
  if (bench.quick) {
    // --quick runs in CI within a minute for every benchmark: the raw page's build, a department
    // node, Chromium and an enrolment take longer than that share (docs/benchmarks.md, 8).
    const skipped = { ...pendingFigure('web.page-load', pageLoadLabel, 'ms', 'startWebClient'), pending: 'full runs only (skipped with --quick)' }
    return { figures: [distFigure, skipped], details }
  }

  bench.progress('building the raw js-libp2p page (test/bench/web/raw-page)')
  const rawDir = join(bench.tmpDir, 'raw-page')
  await buildRawPage(rawDir)
  const raw = await measureDir(rawDir)
  details.rawPage = raw
  distFigure.baseline = { label: 'raw js-libp2p page, same transports + gossipsub', value: sig(raw.gzip / KB), unit: 'KB' }
  distFigure.ratio = ratio(client.gzip, raw.gzip)

  const pageLoadFigure = engineHooks.startWebClient == null
    ? pendingFigure('web.page-load', pageLoadLabel, 'ms', 'startWebClient')
    : await pageLoad(bench, engineHooks.startWebClient, rawDir, pageLoadLabel, details)
  return { figures: [distFigure, pageLoadFigure], details }
}

/** Milliseconds from page.goto to `connected`, in a fresh page that is closed afterwards. */
async function timeLoad (newPage: () => Promise<Page>, url: string, connected: (page: Page) => Promise<void>): Promise<number> {
  const page = await newPage()
  try {
    const start = performance.now()
    await page.goto(url)
    await connected(page)
    return performance.now() - start
  } finally {
    await page.close()
  }
}

/** The raw page says `connected` on <body> once its dial is up, `failed` (with the error) otherwise. */
async function rawConnected (page: Page): Promise<void> {
  await page.locator('body[data-state]').waitFor({ state: 'attached', timeout: RAW_CONNECT_MS })
  if (await page.locator('body').getAttribute('data-state') !== 'connected') {
    throw new Error(`raw js-libp2p page: ${await page.locator('#status').textContent() ?? 'failed'}`)
  }
}

async function pageLoad (bench: BenchContext, start: NonNullable<typeof engineHooks.startWebClient>, rawDir: string, label: string, details: Record<string, unknown>): Promise<Figure> {
  bench.progress('department node serving web/dist, Chromium, one enrolment')
  const scenario: WebClientScenario = await start({ tmpDir: bench.tmpDir, progress: bench.progress })
  // The raw page is served by the department node's own HTTP server code (uncompressed,
  // no-store), so both pages pay the same for their bytes.
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, webRoot: rawDir, routes: {}, maxBodyBytes: 0 })
  try {
    const info = await fetchNodeInfo(scenario.url, { signal: AbortSignal.timeout(5_000) })
    const ws = info.browserMultiaddrs.find(a => /\/ws\/p2p\//.test(a))
    if (ws == null) throw new Error(`the department node offers no WebSocket address: ${info.browserMultiaddrs.join(', ')}`)
    const rawUrl = `${server.url}#dial=${encodeURIComponent(ws)}`
    const dak: number[] = []
    const rawLoads: number[] = []
    bench.progress(`${LOADS} page loads each, Dak and raw js-libp2p, interleaved`)
    for (let i = 0; i < LOADS; i++) {
      dak.push(await timeLoad(scenario.newPage, scenario.url, scenario.waitConnected))
      rawLoads.push(await timeLoad(scenario.newPage, rawUrl, rawConnected))
    }
    details.pageLoad = { dakMs: dak, rawMs: rawLoads, rawDialled: ws }
    const p50 = median(dak)
    const rawP50 = median(rawLoads)
    const ms = (list: number[]): string => list.map(s => Math.round(s)).join(', ')
    return {
      key: 'web.page-load',
      label,
      value: sig(p50),
      unit: 'ms',
      baseline: { label: 'raw js-libp2p page dialling the node\'s WebSocket address', value: sig(rawP50), unit: 'ms' },
      ratio: ratio(p50, rawP50),
      note: `${LOADS} loads each, fresh page, enrolled identity in IndexedDB; Dak: ${ms(dak)} ms; raw: ${ms(rawLoads)} ms`
    }
  } finally {
    await server.close()
    await scenario.stop()
  }
}

export const web: Benchmark = {
  id: 'web',
  title: 'Web client: bundle size, page load',
  budgetSeconds: { full: 90, quick: 10 },
  run
}
