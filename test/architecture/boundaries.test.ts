import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Issue 13, part 1: the packages' edges, held by a test. `protocol ← node ←
 * {bootstrap, web}`: a package reaches another only through its package
 * exports (`@dak/protocol`, `@dak/node/...`), never by a relative path into
 * its `src/`; and `protocol/` does no I/O — no file system, sockets,
 * processes, databases or libp2p — so it runs the same in a browser, a
 * worker and a test. Test files may reach shared test helpers.
 */

const ROOT = resolve(import.meta.dirname, '..', '..')
const PACKAGES = ['protocol', 'node', 'bootstrap', 'web']
/** Modules that do I/O (or pull in something that does): none of them in protocol/. */
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|http2|dgram|dns|child_process|cluster|worker_threads|tls|os|readline)$|^(level|classic-level|memory-level|browser-level|abstract-level|libp2p|it-pipe)$|^@libp2p\/|^@chainsafe\/libp2p/

async function sourceFiles (dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...await sourceFiles(path))
    } else if (/\.(ts|tsx|mts)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path)
    }
  }
  return out
}

function importsOf (source: string): string[] {
  const found: string[] = []
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1] ?? m[2] ?? '')
  return found
}

async function violations (check: (pkg: string, file: string, specifier: string) => string | undefined): Promise<string[]> {
  const found: string[] = []
  for (const pkg of PACKAGES) {
    for (const file of await sourceFiles(join(ROOT, pkg, 'src'))) {
      for (const specifier of importsOf(await readFile(file, 'utf8'))) {
        const problem = check(pkg, file, specifier)
        if (problem !== undefined) found.push(`${relative(ROOT, file)}: ${specifier} (${problem})`)
      }
    }
  }
  return found
}

describe('package boundaries', () => {
  it('no package reaches into another package by a relative path', async () => {
    const found = await violations((pkg, file, specifier) => {
      if (!specifier.startsWith('.')) return undefined
      const target = relative(join(ROOT, pkg), resolve(dirname(file), specifier))
      return target.startsWith('..') ? 'use the package export instead' : undefined
    })
    expect(found).toEqual([])
  })

  it('protocol/ does no I/O', async () => {
    const found = await violations((pkg, _file, specifier) => pkg === 'protocol' && IO_MODULES.test(specifier) ? 'protocol/ takes bytes, keys and clocks as arguments' : undefined)
    expect(found).toEqual([])
  })

  it('the checks see the imports they judge (a reach into another package is caught)', () => {
    expect(importsOf("import { x } from '../../protocol/src/wire/rpc.js'\nexport { y } from './y.js'\nconst z = await import('node:fs')")).toEqual(['../../protocol/src/wire/rpc.js', './y.js', 'node:fs'])
    expect(IO_MODULES.test('node:fs')).toBe(true)
    expect(IO_MODULES.test('@libp2p/interface')).toBe(true)
    expect(IO_MODULES.test('@noble/hashes/sha2.js')).toBe(false)
  })
  it('every wire format is in protocol/ and `npm run generate` makes its code: no .proto elsewhere, none its script leaves out', async () => {
    const protos: string[] = []
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'dist') await walk(path)
        else if (entry.name.endsWith('.proto')) protos.push(relative(ROOT, path))
      }
    }
    for (const pkg of PACKAGES) await walk(join(ROOT, pkg, 'src'))
    expect(protos.filter(p => !p.startsWith('protocol/'))).toEqual([])
    const script = JSON.parse(await readFile(join(ROOT, 'protocol', 'package.json'), 'utf8')).scripts.generate as string
    const globs = [...script.matchAll(/(src\/[\w/]+)\/\*\.proto/g)].map(m => `protocol/${m[1]}/`)
    expect(protos.filter(p => !globs.some(g => dirname(p) + '/' === g))).toEqual([])
    expect(protos).toContain('protocol/src/wire/department.proto')
  })
})
