/**
 * Summarise a V8 CPU profile (from `npm run bench -- --profile` or
 * `node --cpu-prof`): where the time went, by package and by function, self
 * and inclusive. `npx tsx test/bench/profile-summary.ts <file.cpuprofile> [--top=25] [--match=regex]`
 * (--match lists the inclusive time of functions whose name matches).
 */
import { readFile } from 'node:fs/promises'

interface CallFrame { functionName: string, url: string, lineNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame, hitCount?: number, children?: number[] }
interface Profile { nodes: ProfileNode[], startTime: number, endTime: number, samples?: number[], timeDeltas?: number[] }

/** `node_modules/@scope/name/...` → `@scope/name`; project files → their workspace folder. */
function packageOf (url: string): string {
  if (url === '') return '(native/V8)'
  const i = url.lastIndexOf('node_modules/')
  if (i >= 0) {
    const rest = url.slice(i + 'node_modules/'.length).split('/')
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : rest[0] ?? url
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0]
  const m = /\/work\/[^/]+\/([^/]+\/(?:src\/)?[^/]+)/.exec(url)
  return m?.[1] ?? url
}

function keyOf (f: CallFrame): string {
  const file = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/[^/]+\//, '')
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`
}

async function main (): Promise<void> {
  const args = process.argv.slice(2)
  const file = args.find(a => !a.startsWith('--'))
  if (file == null) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top=25] [--match=regex]')
  const top = Number(args.find(a => a.startsWith('--top='))?.slice(6) ?? 25)
  const match = args.find(a => a.startsWith('--match='))?.slice(8)
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  // Self time per node from the sample timeline (more exact than hitCount × mean interval).
  const selfUs = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? 0
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0))
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const idle = new Set(profile.nodes.filter(n => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName)).map(n => n.id))

  const byPackage = new Map<string, number>()
  const byFunction = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (node == null) continue
    const name = node.callFrame.functionName
    const pkg = idle.has(id) ? name : packageOf(node.callFrame.url)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us)
    const key = idle.has(id) ? name : keyOf(node.callFrame)
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  }

  // Inclusive time per function, counting a function once per stack (recursion).
  const inclusive = new Map<string, number>()
  const parents = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id)
  for (const [id, us] of selfUs) {
    const seen = new Set<string>()
    let cur: number | undefined = id
    while (cur != null) {
      const node = byId.get(cur)
      if (node == null) break
      const key = keyOf(node.callFrame)
      if (!seen.has(key)) {
        seen.add(key)
        inclusive.set(key, (inclusive.get(key) ?? 0) + us)
      }
      cur = parents.get(cur)
    }
  }

  const pct = (us: number): string => `${(us / totalUs * 100).toFixed(1).padStart(5)}%`
  const ms = (us: number): string => `${(us / 1000).toFixed(0).padStart(7)} ms`
  const print = (title: string, entries: Map<string, number>, n: number): void => {
    console.log(`\n${title}`)
    for (const [k, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)} ${ms(us)}  ${k}`)
  }
  console.log(`${file}: ${(totalUs / 1e6).toFixed(2)} s sampled`)
  print('Self time by package', byPackage, top)
  print('Self time by function', byFunction, top)
  if (match != null) {
    const re = new RegExp(match)
    print(`Inclusive time, functions matching /${match}/`, new Map([...inclusive].filter(([k]) => re.test(k))), top)
  } else {
    print('Inclusive time by function', inclusive, top)
  }
}

await main()
