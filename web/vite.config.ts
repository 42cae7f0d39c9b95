import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

const webRoot = fileURLToPath(new URL('.', import.meta.url))
const webSource = fileURLToPath(new URL('./src/', import.meta.url))

/**
 * Fails the build when code under web/src imports a Node.js built-in. Vite
 * would otherwise stub it out with only a warning and the client would break
 * at run time in the browser. Dependencies are not checked: they map their own
 * built-ins through the `browser` field.
 */
function noNodeBuiltinsInWeb (): Plugin {
  const builtins = new Set(builtinModules)
  return {
    name: 'dak:no-node-builtins-in-web',
    enforce: 'pre',
    resolveId (id, importer) {
      if (importer === undefined || !importer.startsWith(webSource)) return null
      if (id.startsWith('node:') || builtins.has(id.split('/')[0] ?? id)) {
        this.error(`${importer} imports the Node.js built-in "${id}"; web code runs in the browser`)
      }
      return null
    }
  }
}

// The department node serves the built client from whatever path it likes,
// so every URL in the bundle is relative (base './').
export default defineConfig({
  root: webRoot,
  base: './',
  plugins: [noNodeBuiltinsInWeb()],
  // Preact's automatic JSX runtime, matching web/tsconfig.json, so the
  // compiled output and the type check agree.
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' }
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022'
  }
})
