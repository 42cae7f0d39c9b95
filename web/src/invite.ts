/**
 * Reading an invite from what the officer has: an invite link opened in the
 * browser (`…/#invite=CODE`) or a code typed or pasted into the form. The code
 * travels in the fragment so it never reaches a server log.
 */

/** The invite code in a location fragment such as `#invite=abc`, or null. */
export function inviteFromHash (hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash
  for (const pair of fragment.split('&')) {
    if (!pair.startsWith('invite=')) continue
    // decodeURIComponent, not URLSearchParams: that turns '+' into a space and
    // would corrupt base64 codes.
    let code: string
    try {
      code = decodeURIComponent(pair.slice('invite='.length)).trim()
    } catch {
      return null
    }
    return code === '' ? null : code
  }
  return null
}

/** What the officer typed, without the whitespace a paste from e-mail brings along. */
export function normaliseInviteInput (input: string): string {
  return input.replace(/\s+/g, '')
}

/**
 * protocol/src/identity/invite.ts' INVITE_URL_PREFIX, repeated so this small
 * module does not pull @dak/protocol into the first chunk (invite.test.ts
 * checks they agree).
 */
export const INVITE_URL_PREFIX = 'dak:invite/'

/** Typed codes are 25 characters (DAK-XXXX-XXXX-XXXX-XXXX-C); invite tickets are hundreds. */
const MAX_CODE_CHARS = 64

/**
 * What enrolDevice takes, from what the enrol form holds: a typed code or a
 * pasted link go as they are; the bare ticket an invite link carried in its
 * fragment (inviteFromHash) becomes a `dak:invite/` URL.
 */
export function inviteForEnrolment (input: string): string {
  const text = input.trim()
  if (/^(https?:|dak:)/i.test(text) || text.includes('#')) return text
  if (text.length <= MAX_CODE_CHARS && /^[A-Za-z0-9\s-]+$/.test(text)) return text
  return INVITE_URL_PREFIX + text
}
