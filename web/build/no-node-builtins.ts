import { builtinModules } from 'node:module'
import type { Plugin } from 'vite'

/**
 * Built-ins that dependencies import behind a check a browser never passes:
 * @hpke/common and mlkem load `crypto` only when `globalThis.crypto` is
 * missing (old Node.js). They get a module that throws, so reaching one would
 * fail loudly instead of on Vite's silent stub.
 */
const GUARDED_BUILTINS: Record<string, string[]> = {
  crypto: ['/node_modules/@hpke/common/', '/node_modules/mlkem/']
}
const UNAVAILABLE = '\0dak:unavailable-builtin:'

/**
 * Fails the build when anything in the bundle imports a Node.js built-in.
 * Left alone, Vite would stub it out with only a warning and the client
 * would break at run time in the browser. Code under web/src may import none.
 * A dependency may import one by its bare name when the npm package of that
 * name is installed for it (`buffer` for level-transcoder, `events` for
 * abstract-level: the browser versions), or when it is one of the guarded ones.
 */
export function noNodeBuiltins (webSource: string): Plugin {
  const builtins = new Set(builtinModules)
  return {
    name: 'dak:no-node-builtins',
    enforce: 'pre',
    async resolveId (id, importer) {
      if (importer === undefined) return null
      const name = id.startsWith('node:') ? id.slice(5) : id
      if (!id.startsWith('node:') && !builtins.has(name.split('/')[0] ?? name)) return null
      if (importer.startsWith(webSource)) this.error(`${importer} imports the Node.js built-in "${id}"; web code runs in the browser`)
      if (GUARDED_BUILTINS[name]?.some(dir => importer.includes(dir)) === true) return UNAVAILABLE + name
      if (!id.startsWith('node:')) {
        const installed = await this.resolve(id, importer, { skipSelf: true })
        if (installed != null && installed.id.includes(`/node_modules/${name}/`)) return installed
      }
      this.error(`${importer} imports the Node.js built-in "${id}", which does not exist in a browser: install its browser package, or see GUARDED_BUILTINS in web/build/no-node-builtins.ts`)
    },
    load (id) {
      if (!id.startsWith(UNAVAILABLE)) return null
      return `throw new Error('the Node.js module ${id.slice(UNAVAILABLE.length)} is not available in a browser')`
    }
  }
}
