import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { ratio, sig } from '../lib/stats.js'
import { engineHooks } from '../engine/hooks.js'
import { pendingFigure } from '../engine/measure.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Figure 8: the web client's size, gzipped (level 9) as a server would send it.
 *
 * - web/dist as built today (`npm run build -w web`, run here if dist is missing).
 * - Full runs also bundle, with web/vite.config.ts, what the client will carry
 *   once wired (web/dak-stack.ts: browser @dak/node + device store + @dak/protocol)
 *   and the raw library doing the same job (web/raw-libp2p.ts: plain js-libp2p
 *   with the same browser transports and gossipsub): projected total ÷ raw.
 * - Page load → connected in Chromium waits for the engine (hook).
 */

const here = fileURLToPath(new URL('.', import.meta.url))
const root = resolve(here, '../../..')
const dist = join(root, 'web', 'dist')
const SHIPPED = /\.(js|mjs|css|html|wasm|svg|json|woff2?)$/

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

async function measureDir (dir: string): Promise<Size> {
  const size: Size = { files: 0, bytes: 0, gzip: 0, largest: [] }
  for (const file of await files(dir)) {
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

/** Bundle one probe entry with the web client's own Vite configuration (lib mode, minified). */
async function bundle (entry: string, outDir: string): Promise<Size> {
  const { build } = await import('vite')
  await build({
    configFile: join(root, 'web', 'vite.config.ts'),
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir,
      emptyOutDir: true,
      copyPublicDir: false,
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      lib: { entry, formats: ['es'], fileName: 'bundle' }
    }
  })
  return await measureDir(outDir)
}

const KB = 1000

async function run (bench: BenchContext): Promise<BenchResult> {
  if (!existsSync(join(dist, 'index.html'))) {
    bench.progress('web/dist is missing: npm run build -w web')
    const built = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 })
    if (built.status !== 0) throw new Error(`npm run build -w web failed (${built.status ?? built.signal ?? 'unknown'})`)
  }
  const ui = await measureDir(dist)
  const figures: Figure[] = [{
    key: 'web.dist',
    label: 'web client bundle as built today (web/dist), gzipped',
    value: sig(ui.gzip / KB),
    unit: 'KB',
    target: { text: '≤ 400 KB gzipped', met: ui.gzip <= 400 * KB },
    note: `${ui.files} files, ${sig(ui.bytes / KB)} KB raw; UI only while web/src/platform.ts is a placeholder (no libp2p, MLS or storage yet)`
  }]
  const details: Record<string, unknown> = { dist: ui }
  if (!bench.quick) {
    bench.progress('bundling the Dak browser stack (web/dak-stack.ts)')
    const dak = await bundle(join(here, '..', 'web', 'dak-stack.ts'), join(bench.tmpDir, 'dak'))
    bench.progress('bundling raw js-libp2p with the same transports (web/raw-libp2p.ts)')
    const raw = await bundle(join(here, '..', 'web', 'raw-libp2p.ts'), join(bench.tmpDir, 'raw'))
    const projected = ui.gzip + dak.gzip
    figures.push({
      key: 'web.projected',
      label: 'projected web client: UI + browser node + store + protocol, gzipped',
      value: sig(projected / KB),
      unit: 'KB',
      baseline: { label: 'raw js-libp2p, same transports + gossipsub', value: sig(raw.gzip / KB), unit: 'KB' },
      ratio: ratio(projected, raw.gzip),
      target: { text: '≤ 400 KB gzipped', met: projected <= 400 * KB },
      note: `Dak stack alone ${sig(dak.gzip / KB)} KB gzipped (${sig(dak.bytes / KB)} KB minified); the messenger engine is not in it yet`
    })
    details.dakStack = dak
    details.rawLibp2p = raw
  }
  figures.push(engineHooks.startWebClient == null
    ? pendingFigure('web.page-load', 'page load → connected in Chromium', 'ms', 'startWebClient')
    : await pageLoad(bench))
  return { figures, details }
}

/** Page load to connected, with playwright-core's Chromium, once the engine can serve an enrolled client. */
async function pageLoad (bench: BenchContext): Promise<Figure> {
  const start = engineHooks.startWebClient
  if (start == null) throw new Error('no startWebClient hook')
  const scenario = await start({ tmpDir: bench.tmpDir, progress: bench.progress })
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch()
  try {
    const samples: number[] = []
    for (let i = 0; i < (bench.quick ? 1 : 5); i++) {
      const page = await browser.newPage()
      const t = performance.now()
      await page.goto(scenario.url)
      await scenario.waitConnected(page)
      samples.push(performance.now() - t)
      await page.close()
    }
    samples.sort((a, b) => a - b)
    return { key: 'web.page-load', label: 'page load → connected in Chromium (median)', value: sig(samples[Math.floor(samples.length / 2)] ?? Number.NaN), unit: 'ms', note: `samples: ${samples.map(s => Math.round(s)).join(', ')} ms` }
  } finally {
    await browser.close()
    await scenario.stop()
  }
}

export const web: Benchmark = {
  id: 'web',
  title: 'Web client bundle size',
  budgetSeconds: { full: 90, quick: 10 },
  run
}
