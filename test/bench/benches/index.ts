import type { Benchmark } from '../lib/types.js'
import { atRest } from './at-rest.js'
import { calls } from './calls.js'
import { catchUpBench } from './catch-up.js'
import { crypto } from './crypto.js'
import { files } from './files.js'
import { ingest } from './ingest.js'
import { latency } from './latency.js'
import { memory } from './memory.js'
import { mlsScale } from './mls-scale.js'
import { scaled } from './scaled.js'
import { throughput } from './throughput.js'
import { web } from './web.js'
import { wire } from './wire.js'

/** Every benchmark, in the order a full run takes them: the figures 1–8, then the primitive they point at. */
export const benchmarks: Benchmark[] = [
  throughput,
  latency,
  catchUpBench,
  ingest,
  mlsScale,
  memory,
  wire,
  web,
  files,
  crypto,
  atRest,
  calls,
  scaled
]
