import { InvalidArgumentError } from '@dak/protocol'
import type { AutoDownload } from '../api.js'
import type { EngineContext } from '../context.js'

/** Officer's default (docs/files.md): what is fetched without asking when neither the officer nor the department chose. */
export const DEFAULT_AUTO_DOWNLOAD_BYTES = 1_000_000
/** The largest limit an officer may choose here: the protocol's largest file. */
export const MAX_AUTO_DOWNLOAD_BYTES = 100 * 1024 * 1024
/** The officer's own choice on this device (store setting); absent: the department's applies. */
export const AUTO_DOWNLOAD_SETTING = 'autoDownloadBytes'
/** What the department node last said (learnSettings, edit-window.ts). */
export const DEPARTMENT_AUTO_DOWNLOAD_SETTING = 'departmentAutoDownloadBytes'

/**
 * Issue 15: incoming files up to a size are fetched without asking. The
 * officer's choice on this device wins (a field officer on 2G may turn it
 * off); otherwise the department's (its node's `autoDownloadMB`); otherwise
 * the device's configured default. Read at each incoming file, so a change
 * applies at once.
 */
export async function autoDownloadLimit (ctx: EngineContext, fallback: number): Promise<AutoDownload> {
  const own = await ctx.store.prefs.setting(AUTO_DOWNLOAD_SETTING)
  if (own !== undefined) return { bytes: own, source: 'officer' }
  const department = await ctx.store.prefs.setting(DEPARTMENT_AUTO_DOWNLOAD_SETTING)
  if (department !== undefined) return { bytes: department, source: 'department' }
  return { bytes: fallback, source: 'default' }
}

/** The officer's choice: a size in bytes (0: never), or null to follow the department again. */
export async function setAutoDownloadLimit (ctx: EngineContext, bytes: number | null, fallback: number): Promise<AutoDownload> {
  if (bytes !== null && (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > MAX_AUTO_DOWNLOAD_BYTES)) throw new InvalidArgumentError(`an automatic-download size is 0 to ${MAX_AUTO_DOWNLOAD_BYTES} bytes`)
  await ctx.store.prefs.putSetting(AUTO_DOWNLOAD_SETTING, bytes ?? undefined)
  return await autoDownloadLimit(ctx, fallback)
}
