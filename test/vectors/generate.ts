/**
 * Rewrite the golden vectors on purpose: `npx tsx test/vectors/generate.ts`.
 * Only after a deliberate change to a wire format or signature (see
 * docs/protocol.md); review the diff of test/vectors/*.json before committing.
 */
import { writeFileSync } from 'node:fs'
import { computeVectors } from './compute.js'

for (const [file, vector] of Object.entries(computeVectors())) {
  const path = new URL(file, import.meta.url)
  writeFileSync(path, JSON.stringify(vector, null, 2) + '\n')
  console.log(`wrote ${path.pathname}`)
}
