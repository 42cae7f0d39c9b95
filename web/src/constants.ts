/** Numbers the UI depends on, each with the reason for its value. */

/**
 * Messages per history page. Enough to fill a tall desktop window so the
 * first screen rarely needs a second request, small enough to decrypt and
 * render quickly on a low-end phone.
 */
export const HISTORY_PAGE_SIZE = 50

/**
 * Distance from the top of the message list (px) at which older history is
 * fetched, so it arrives before the officer reaches the very top.
 */
export const LOAD_OLDER_THRESHOLD_PX = 80

/**
 * Distance from the bottom (px) within which the list follows new messages.
 * Further up, the officer is reading older messages and must not be moved.
 */
export const FOLLOW_BOTTOM_THRESHOLD_PX = 120

/** Errors shown at once; older ones give way so the screen stays usable on a phone. */
export const MAX_VISIBLE_ERRORS = 3

/** QR code size (CSS px): fits a 360 px wide screen with margins and scans from arm's length. */
export const QR_SIZE_PX = 232

/** How often the camera's picture is searched for a QR code while scanning (jsQR takes a few ms a frame). */
export const QR_SCAN_EVERY_MS = 200

/** The IndexedDB database (browser-level) that holds this device's keys, conversations and messages. */
export const DEVICE_DATABASE = 'dak-device'

/** localStorage key of the department node's addresses, for opening while its web server is unreachable. */
export const NODE_INFO_KEY = 'dak-department-node'

/**
 * How long to wait for the node's /api/info when opening. On a LAN it answers
 * in milliseconds; past this the device opens with the addresses it kept, and
 * redials them when the network returns.
 */
export const NODE_INFO_TIMEOUT_MS = 5_000

/**
 * How long opening waits for another tab of this browser to let go of the
 * device. A reload's old page lets go as it unloads; a second open tab never does.
 */
export const DEVICE_LOCK_WAIT_MS = 3_000

/**
 * localStorage key of the notice a remote wipe leaves behind (department,
 * when; no secret): the enrol screen says why the device is empty. Also holds
 * the signed report while no node took it, to send at the next load.
 */
export const WIPED_KEY = 'dak-wiped'

/** How long after the last keystroke a draft is saved to the device store (issue 16): often enough to survive a reload, not a write per key. */
export const DRAFT_SAVE_DELAY_MS = 400

/** Longest draft the composer keeps: 64 Ki UTF-16 units are at most 192 KiB of UTF-8, under the store's 256 KiB. */
export const MAX_DRAFT_CHARS = 64 * 1024

/** Older pages "jump to first unread" loads at most to reach the oldest unread message. */
export const MAX_JUMP_PAGES = 20

/**
 * Issue 14, PIN lock: how long a browser with a PIN stays unlocked without use
 * until its department node has said (`lockAfterMinutes`, default 5): the same
 * as the node's default.
 */
export const DEFAULT_LOCK_AFTER_MS = 5 * 60_000

/** The device store's name for the department's inactivity lock (node/src/messenger/edit-window.ts, LOCK_AFTER_SETTING). */
export const LOCK_AFTER_SETTING = 'lockAfterMs'

/** The device store's name for the department's PIN policy (node/src/messenger/edit-window.ts, REQUIRE_PIN_SETTING): 1 required, 0 not. */
export const REQUIRE_PIN_SETTING = 'requirePin'

/** The device store's name for the officer's own lock delay (ms), shorter than the department's longest (state/pin-policy.ts). */
export const OFFICER_LOCK_AFTER_SETTING = 'officerLockAfterMs'

/**
 * How often a locked browser asks its department node for a wipe order
 * (docs/web.md, *Remote wipe while locked*): one small GET to the node that
 * served the page, answered 204 while there is none; a lost device is wiped
 * within this long of reaching the node's network.
 */
export const LOCKED_WIPE_CHECK_MS = 10_000
