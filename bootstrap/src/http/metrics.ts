/**
 * Prometheus text exposition for the department node. Gauges are read from
 * callbacks at scrape time (nothing to keep in sync); counters are owned here.
 */
export interface MetricsRegistry {
  counter: (name: string, help: string) => { inc: (by?: number) => void }
  gauge: (name: string, help: string, read: () => number | Promise<number>) => void
  render: () => Promise<string>
}

export function createMetricsRegistry (prefix = 'dak_'): MetricsRegistry {
  const counters = new Map<string, { help: string, value: number }>()
  const gauges = new Map<string, { help: string, read: () => number | Promise<number> }>()
  return {
    counter (name, help) {
      const entry = { help, value: 0 }
      counters.set(prefix + name, entry)
      return { inc: (by = 1) => { entry.value += by } }
    },
    gauge (name, help, read) {
      gauges.set(prefix + name, { help, read })
    },
    async render () {
      const lines: string[] = []
      for (const [name, { help, value }] of counters) {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`)
      }
      for (const [name, { help, read }] of gauges) {
        let value: number
        try {
          value = await read()
        } catch {
          value = NaN
        }
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${Number.isFinite(value) ? value : 'NaN'}`)
      }
      return lines.join('\n') + '\n'
    }
  }
}
