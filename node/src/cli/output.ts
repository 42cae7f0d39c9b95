/** One place that decides how the CLI prints: human text or one JSON object per line. */
export interface Output {
  json: boolean
  /** A result: JSON mode prints `value`; text mode prints `text`. */
  result: (value: unknown, text: string) => void
  /** Progress and notices go to stderr so stdout stays machine-readable. */
  note: (text: string) => void
  error: (err: unknown) => void
}

export function createOutput (json: boolean, stdout: (line: string) => void = (l) => process.stdout.write(l + '\n'), stderr: (line: string) => void = (l) => process.stderr.write(l + '\n')): Output {
  return {
    json,
    result: (value, text) => { stdout(json ? JSON.stringify(value) : text) },
    note: (text) => { stderr(text) },
    error: (err) => {
      const e = err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) }
      if (json) stdout(JSON.stringify({ error: e }))
      else stderr(`error: ${e.name}: ${e.message}`)
    }
  }
}
