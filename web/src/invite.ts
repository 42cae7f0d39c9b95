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
