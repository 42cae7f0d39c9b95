/**
 * Serialises async work per key in memory: two deposits on one topic, two
 * takes of one device's key packages, two redeems of one invite never
 * interleave their read-modify-write. Several keys are taken in sorted order,
 * so two holders can never wait on each other.
 *
 * The map holds a key only while someone holds or waits for it, so keys chosen
 * by remote peers (topics, device keys) cannot grow it beyond the work in flight.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>()

  async run<T> (keys: string[], work: () => Promise<T>): Promise<T> {
    const releases: Array<() => void> = []
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.acquire(key))
      return await work()
    } finally {
      for (const release of releases.reverse()) release()
    }
  }

  /** Keys currently held or waited for: for tests and metrics. */
  get size (): number {
    return this.tails.size
  }

  private async acquire (key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    let release: () => void = () => {}
    const held = new Promise<void>(resolve => { release = resolve })
    const tail = previous.then(async () => await held)
    this.tails.set(key, tail)
    await previous
    return () => {
      release()
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
