/**
 * Placeholder for the browser platform (enrolment and the browser messenger
 * built on node/). It is deliberately not a fake: until the real one is wired
 * in, the app shows this error instead of pretending to send messages.
 */
import type { Messenger } from './messenger.js'

export class NotWiredError extends Error {
  override name = 'NotWiredError'
}

function notWired (what: string): NotWiredError {
  return new NotWiredError(`${what} is not wired yet: web/src/platform.ts is a placeholder for the browser messenger`)
}

export async function openMessenger (): Promise<Messenger | null> {
  throw notWired('Opening the messenger')
}

export async function enrol (_inviteUrlOrCode: string): Promise<void> {
  throw notWired('Enrolment')
}
