/**
 * What a benchmark is and what it reports. Every headline figure is a ratio of
 * Dak doing some work to the raw library doing the same work, measured in the
 * same run on the same machine (docs/benchmarks.md).
 */

export interface BenchOptions {
  /** Smaller counts and group sizes: the whole --quick run stays under a minute. */
  quick: boolean
}

export interface BenchContext extends BenchOptions {
  /** One line of progress on stderr (the summary goes to stdout). */
  progress: (message: string) => void
  /** A fresh directory for this benchmark's databases; removed afterwards. */
  tmpDir: string
}

/** A measured quantity. */
export interface Measure {
  label: string
  value: number
  unit: string
}

/** The target for a figure, and whether this run meets it. */
export interface Target {
  text: string
  met: boolean
}

/**
 * One line of the summary. `value` is Dak's side; `baseline` the raw library's
 * side measured in the same run; `ratio` the figure the issue asks for.
 * `pending` names the hook a figure waits for (value null until it is filled).
 */
export interface Figure {
  /** Stable key for JSON consumers and for comparing runs (e.g. `throughput.pipeline-vs-floor`). */
  key: string
  label: string
  value: number | null
  unit: string
  baseline?: Measure
  ratio?: number
  target?: Target
  pending?: string
  note?: string
}

export interface BenchResult {
  figures: Figure[]
  /** Everything else measured (sizes, breakdowns, raw timings), for --json and docs. */
  details: Record<string, unknown>
}

export interface Benchmark {
  id: string
  title: string
  /** Rough wall-clock seconds, full and quick: the parent kills a child at 3× this (+30 s). */
  budgetSeconds: { full: number, quick: number }
  run: (ctx: BenchContext) => Promise<BenchResult>
}

/** What a child process sends back to run.ts. */
export type ChildReport =
  | { ok: true, id: string, seconds: number, result: BenchResult }
  | { ok: false, id: string, seconds: number, error: { name: string, message: string, stack?: string } }
