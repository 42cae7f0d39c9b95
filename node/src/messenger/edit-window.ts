import type { EngineContext } from './context.js'
import { DEPARTMENT_AUTO_DOWNLOAD_SETTING } from './files/auto-download.js'
import type { DepartmentPort } from './ports.js'

/**
 * How long after sending an officer may edit or delete a message. The
 * department sets it (its node's `editWindowMinutes`, docs/department-node.md)
 * and gives it to its devices when they connect; a device keeps the last
 * value it was given and uses this default until it has one. Senders check
 * it before sending an edit; receivers check it again, with their own copy,
 * before applying one (amend.ts), so a changed client cannot edit old records.
 */
export const DEFAULT_EDIT_WINDOW_MS = 15 * 60_000
/** The setting's name in the device store. */
export const EDIT_WINDOW_SETTING = 'editWindowMs'

export async function editWindow (ctx: EngineContext): Promise<number> {
  return await ctx.store.prefs.setting(EDIT_WINDOW_SETTING) ?? DEFAULT_EDIT_WINDOW_MS
}

/**
 * Issue 14: how long a browser whose officer set a PIN stays unlocked without
 * use (docs/web.md, *PIN lock*). The engine only keeps the department's value;
 * the web client reads it from the store and locks.
 */
export const LOCK_AFTER_SETTING = 'lockAfterMs'
/** Issue 14, the department's PIN policy: 1 when every browser must have a PIN lock, 0 when not (docs/web.md, *PIN policy*). */
export const REQUIRE_PIN_SETTING = 'requirePin'

/** Ask a department node for its settings and keep them; a node without the protocol (older) leaves the last value. */
export async function learnSettings (ctx: EngineContext, department: DepartmentPort): Promise<void> {
  if (department.settings == null) return
  const settings = await department.settings()
  if (settings.editWindowMs !== await ctx.store.prefs.setting(EDIT_WINDOW_SETTING)) await ctx.store.prefs.putSetting(EDIT_WINDOW_SETTING, settings.editWindowMs)
  if (settings.lockAfterMs !== undefined && settings.lockAfterMs !== await ctx.store.prefs.setting(LOCK_AFTER_SETTING)) await ctx.store.prefs.putSetting(LOCK_AFTER_SETTING, settings.lockAfterMs)
  // issue 14: the PIN policy; a node that says nothing (older) leaves the last value
  if (settings.requirePin !== undefined) {
    const required = settings.requirePin ? 1 : 0
    if (required !== await ctx.store.prefs.setting(REQUIRE_PIN_SETTING)) await ctx.store.prefs.putSetting(REQUIRE_PIN_SETTING, required)
  }
  // issue 15: the department's automatic-download size (the officer's own choice, if any, still wins: files/auto-download.ts)
  if (settings.autoDownloadBytes !== undefined && settings.autoDownloadBytes !== await ctx.store.prefs.setting(DEPARTMENT_AUTO_DOWNLOAD_SETTING)) await ctx.store.prefs.putSetting(DEPARTMENT_AUTO_DOWNLOAD_SETTING, settings.autoDownloadBytes)
}
