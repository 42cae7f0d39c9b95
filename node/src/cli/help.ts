import { usageOf, type CommandSpec } from './command.js'
import { EXIT } from './exit-codes.js'

/** The text of `dak --help` (docs/node.md, "Command line", says the same at more length). */
export function helpText (commands: CommandSpec[]): string {
  const width = Math.max(...commands.map(c => usageOf(c).length))
  return [
    'dak: the Dak messenger from a terminal',
    '',
    'commands:',
    ...commands.map(c => `  ${usageOf(c).padEnd(width)}  ${c.summary}`),
    '',
    'every command:',
    '  --data DIR       data directory (default $DAK_DATA, else ~/.dak)',
    '  --json           print results as JSON (one object per line); errors as {"error":{name,message}}',
    '  --help           this text',
    '  --passphrase-file FILE  the passphrase of the device\'s storage key (else $DAK_PASSPHRASE, else asked on the terminal)',
    '  --no-passphrase  when the key file is made (init): keep the storage key unprotected (unattended devices only)',
    'commands that open the device (all but init and whoami):',
    '  --wait SECONDS   how long to wait for the network (send, chat, group: 10; listen: 10 to connect; others: 5)',
    '  --peer MULTIADDR...  also dial these devices (e.g. the addresses `dak listen` prints)',
    '  --listen MULTIADDR...  listen here instead of config.json\'s addresses (or $DAK_LISTEN, comma-separated)',
    '  --no-mdns        do not look for officers on the LAN with mDNS (on by default; also "mdns": false in config.json)',
    'conversations are named by id, a unique start of the id\'s hex, or a unique start of the title.',
    'while `dak listen` or `dak chat` runs on a data directory, the other commands run through it (its socket DIR/run/dak.sock).',
    '',
    'exit codes:',
    `  ${EXIT.ok} ok   ${EXIT.usage} usage (also a bad number, an empty or too long message)   ${EXIT.failed} failed   ${EXIT.queuedOnly} queued only (send)   ${EXIT.notEnrolled} not enrolled   ${EXIT.notFound} no such conversation or officer   ${EXIT.wrongPassphrase} wrong or missing passphrase`
  ].join('\n')
}
