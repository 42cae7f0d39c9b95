import { DakError } from '@dak/protocol'

/**
 * The audit log on disk is not what the node wrote: an entry was edited,
 * deleted, inserted or moved, or the signed head does not match. `entry` is
 * the first entry that cannot be believed (the head's size when entries are
 * missing at the end); undefined when the head itself is bad.
 */
export class AuditLogTamperedError extends DakError {
  override name = 'AuditLogTamperedError'
  constructor (message: string, readonly entry?: number) {
    super(message)
  }

  override toJSON (): { name: string, message: string, entry?: number } {
    return { ...super.toJSON(), ...(this.entry != null ? { entry: this.entry } : {}) }
  }
}
