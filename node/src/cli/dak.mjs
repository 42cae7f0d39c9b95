#!/usr/bin/env node
// The `dak` executable (node/package.json "bin"). Dak runs on the Node.js 24
// that `npm install` puts in node_modules (the `node` package), whatever node
// the shell finds first: an older one re-runs this file with that binary.
// Then tsx is registered so the TypeScript sources run as they are, from any
// working directory (tsx is resolved from here, not from the cwd).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const REQUIRED_MAJOR = 24

if (Number(process.versions.node.split('.')[0]) < REQUIRED_MAJOR) {
  let bundled
  try {
    bundled = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node')
  } catch {
    process.stderr.write(`dak needs Node.js ${REQUIRED_MAJOR} or later (this is ${process.version}); run \`npm install\` in the Dak checkout\n`)
    process.exit(2)
  }
  const child = spawn(bundled, process.argv.slice(1), { stdio: 'inherit' })
  // the child stops cleanly on the first signal; this process just waits for it
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { child.kill(signal) })
  child.on('exit', (code, signal) => { process.exit(code ?? (signal != null ? 130 : 2)) })
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('./main.ts')
}
