/**
 * Who received which message when, for the network benchmarks. Message k is
 * expected at every node but its publisher; a node may record each message
 * once (duplicates are counted, not recorded).
 */
export class DeliveryLog {
  readonly sentAt: Float64Array
  readonly publisher: Int32Array
  /** Full delivery time of each message (last receiver), NaN until then. */
  readonly completedAt: Float64Array
  /** Arrival − send time of every (message, receiver) pair, ms. */
  readonly latencies: number[] = []
  completed = 0
  received = 0
  duplicates = 0
  readonly errors = new Map<string, number>()
  lastArrival = Number.NaN
  private readonly seen: Uint8Array
  private readonly counts: Uint16Array
  private waiters: Array<() => void> = []

  constructor (readonly messages: number, readonly nodes: number) {
    this.sentAt = new Float64Array(messages).fill(Number.NaN)
    this.publisher = new Int32Array(messages).fill(-1)
    this.completedAt = new Float64Array(messages).fill(Number.NaN)
    this.seen = new Uint8Array(messages * nodes)
    this.counts = new Uint16Array(messages)
  }

  /** Receivers per message. */
  get expectedPerMessage (): number {
    return this.nodes - 1
  }

  sent (index: number, publisher: number, at = performance.now()): void {
    this.sentAt[index] = at
    this.publisher[index] = publisher
  }

  arrived (index: number, node: number, at = performance.now()): void {
    if (!(index >= 0 && index < this.messages) || node === this.publisher[index]) return
    const slot = index * this.nodes + node
    if (this.seen[slot] === 1) {
      this.duplicates++
      return
    }
    this.seen[slot] = 1
    this.received++
    this.lastArrival = at
    const sent = this.sentAt[index] ?? Number.NaN
    if (!Number.isNaN(sent)) this.latencies.push(at - sent)
    const count = (this.counts[index] ?? 0) + 1
    this.counts[index] = count
    if (count === this.expectedPerMessage) {
      this.completed++
      this.completedAt[index] = at
      this.wake()
    }
  }

  /** First message seen for each error name. */
  readonly errorMessages = new Map<string, string>()

  error (err: unknown): void {
    const name = err instanceof Error ? err.name : 'Error'
    if (!this.errorMessages.has(name)) this.errorMessages.set(name, err instanceof Error ? err.message : String(err))
    this.errors.set(name, (this.errors.get(name) ?? 0) + 1)
    this.wake()
  }

  /** Resolves when `done()` holds (checked at every full delivery), false after `timeoutMs`. */
  async until (done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return true
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter(w => w !== check)
        resolve(false)
      }, timeoutMs)
      const check = (): void => {
        if (!done()) return
        clearTimeout(timer)
        this.waiters = this.waiters.filter(w => w !== check)
        resolve(true)
      }
      this.waiters.push(check)
    })
  }

  /** Per message: time from publish to the last receiver, ms (fully delivered messages only). */
  fullDeliveryTimes (): number[] {
    const out: number[] = []
    for (let k = 0; k < this.messages; k++) {
      const done = this.completedAt[k] ?? Number.NaN
      const sent = this.sentAt[k] ?? Number.NaN
      if (!Number.isNaN(done) && !Number.isNaN(sent)) out.push(done - sent)
    }
    return out
  }

  errorSummary (): string {
    return [...this.errors].map(([name, n]) => `${name}×${n} (${this.errorMessages.get(name) ?? ''})`).join(', ')
  }

  private wake (): void {
    for (const waiter of [...this.waiters]) waiter()
  }
}
