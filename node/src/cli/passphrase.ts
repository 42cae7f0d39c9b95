import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CommandContext } from './command.js'
import { PassphraseRequiredError, UsageError } from './errors.js'

/**
 * Where the passphrase that wraps the device's storage key comes from, first
 * found wins: --passphrase-file FILE (services, scripts: a file only its
 * owner reads), $DAK_PASSPHRASE (the same, from a service manager's
 * environment), else a prompt on the terminal that does not echo. With none
 * of these (a pipe, a service with nothing set) the command fails with
 * PassphraseRequiredError rather than wait on a prompt no one sees.
 */

export const PASSPHRASE_ENV = 'DAK_PASSPHRASE'
/** A passphrase shorter than this is refused when a key file is made: it would fall to guessing on a copied disk in minutes. */
export const MIN_PASSPHRASE_CHARS = 8

export type Purpose = 'unlock' | 'create'

export async function readPassphrase (ctx: Pick<CommandContext, 'args' | 'env' | 'io' | 'dataDir'>, purpose: Purpose): Promise<string> {
  const file = ctx.args.strings.get('passphrase-file')
  let passphrase: string | undefined
  if (file != null) {
    try {
      // one trailing newline is the file's, not the passphrase's (echo "..." > file)
      passphrase = (await readFile(resolve(ctx.io.cwd, file), 'utf8')).replace(/\r?\n$/, '')
    } catch (err) {
      throw new UsageError(`--passphrase-file ${file}: ${(err as Error).message}`)
    }
    if (passphrase === '') throw new UsageError(`--passphrase-file ${file} is empty`)
  } else if (ctx.env[PASSPHRASE_ENV] != null && ctx.env[PASSPHRASE_ENV] !== '') {
    passphrase = ctx.env[PASSPHRASE_ENV]
  } else if (process.stdin.isTTY === true && process.stderr.isTTY === true) {
    passphrase = await promptTwiceIfNew(purpose, ctx.dataDir)
  } else {
    throw new PassphraseRequiredError(`the device in ${ctx.dataDir} is protected by a passphrase: give it with --passphrase-file FILE or ${PASSPHRASE_ENV}, or run dak on a terminal to be asked` +
      (purpose === 'create' ? ' (an unattended device may instead keep its key unprotected: --no-passphrase)' : ''))
  }
  if (purpose === 'create' && [...passphrase].length < MIN_PASSPHRASE_CHARS) throw new UsageError(`a passphrase needs at least ${MIN_PASSPHRASE_CHARS} characters`)
  return passphrase
}

async function promptTwiceIfNew (purpose: Purpose, dataDir: string): Promise<string> {
  if (purpose === 'unlock') return await promptHidden(`Passphrase for the device in ${dataDir}: `)
  const first = await promptHidden(`New passphrase for the device in ${dataDir} (it protects everything stored here): `)
  const again = await promptHidden('Same passphrase again: ')
  if (first !== again) throw new UsageError('the two passphrases differ: nothing was written')
  return first
}

/** Read one line from the terminal with echo off (raw mode), writing the prompt to stderr. */
async function promptHidden (prompt: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = ''
      const onData = (chunk: Buffer): void => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') { done(); resolve(typed); return }
          if (char === '\u0003' || char === '\u0004') { done(); reject(new PassphraseRequiredError('no passphrase given')); return }
          if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('')
          else typed += char
        }
      }
      const done = (): void => { stdin.off('data', onData); process.stderr.write('\n') }
      stdin.on('data', onData)
    })
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
  }
}
