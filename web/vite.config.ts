import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { noNodeBuiltins } from './build/no-node-builtins.js'
import { webrtcInitChannelFix } from './build/webrtc-init-channel.js'

const webRoot = fileURLToPath(new URL('.', import.meta.url))
const webSource = fileURLToPath(new URL('./src/', import.meta.url))

// The department node serves the built client from whatever path it likes,
// so every URL in the bundle is relative (base './').
export default defineConfig({
  root: webRoot,
  base: './',
  plugins: [noNodeBuiltins(webSource), webrtcInitChannelFix()],
  // Preact's automatic JSX runtime, matching web/tsconfig.json, so the
  // compiled output and the type check agree.
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' }
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The device chunk (libp2p, MLS, level: platform/device.ts) is one unit
    // of about 1 MB raw, loaded once after the first paint; warn above that.
    chunkSizeWarningLimit: 1100
  }
})
