import { InvalidArgumentError } from '@dak/protocol'

/**
 * `dak-node <command> [--flag value] [--switch]`. Only known flags are
 * accepted: a typo must fail loudly, not be ignored on a production node.
 */

export const COMMANDS = ['start', 'invite', 'revoke', 'wipe', 'devices', 'status', 'tls', 'audit', 'authority'] as const
export type Command = typeof COMMANDS[number]
/** `dak-node tls <what>` */
export const TLS_COMMANDS = ['init', 'renew'] as const
export type TlsCommand = typeof TLS_COMMANDS[number]
/** `dak-node audit <what>` */
export const AUDIT_COMMANDS = ['list', 'verify'] as const
export type AuditCommand = typeof AUDIT_COMMANDS[number]


/** `dak-node authority <what>`: the offline authority's ceremony (docs/department-node.md). */
export const AUTHORITY_COMMANDS = ['export-key', 'requests', 'sign', 'import'] as const
export type AuthorityCommand = typeof AUTHORITY_COMMANDS[number]


const VALUE_FLAGS = new Set(['data', 'config', 'handle', 'name', 'title', 'hours', 'device', 'host', 'public-host', 'names', 'expect', 'store', 'out', 'requests', 'key', 'in'])
const SWITCHES = new Set(['json', 'help', 'no-invite'])

export interface Args {
  command: Command
  /** For `tls`: init or renew. */
  tls?: TlsCommand
  /** For `audit`: list or verify. */
  audit?: AuditCommand
  /** For `authority`: which step of the ceremony. */
  authority?: AuthorityCommand
  flags: Map<string, string>
  switches: Set<string>
}

export function parseArgs (argv: string[]): Args {
  const [command, ...rest] = argv
  if (command == null || !(COMMANDS as readonly string[]).includes(command)) throw new InvalidArgumentError(`unknown command "${command ?? ''}"`)
  let tls: TlsCommand | undefined
  if (command === 'tls') {
    const what = rest.shift()
    if (what == null || !(TLS_COMMANDS as readonly string[]).includes(what)) throw new InvalidArgumentError(`dak-node tls needs ${TLS_COMMANDS.join(' or ')}`)
    tls = what as TlsCommand
  }
  let audit: AuditCommand | undefined
  if (command === 'audit') {
    const what = rest.shift()
    if (what == null || !(AUDIT_COMMANDS as readonly string[]).includes(what)) throw new InvalidArgumentError(`dak-node audit needs ${AUDIT_COMMANDS.join(' or ')}`)
    audit = what as AuditCommand
  }
  let authority: AuthorityCommand | undefined
  if (command === 'authority') {
    const what = rest.shift()
    if (what == null || !(AUTHORITY_COMMANDS as readonly string[]).includes(what)) throw new InvalidArgumentError(`dak-node authority needs ${AUTHORITY_COMMANDS.join(', ')}`)
    authority = what as AuthorityCommand
    // `authority import FILE`: the file may be given without --in
    if (authority === 'import' && rest[0] != null && !rest[0].startsWith('--')) rest.splice(0, 1, '--in', rest[0])
  }
  const flags = new Map<string, string>()
  const switches = new Set<string>()
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg)
    if (match == null) throw new InvalidArgumentError(`unexpected argument "${arg}"`)
    const [, name = '', inline] = match
    if (SWITCHES.has(name) && inline == null) {
      switches.add(name)
    } else if (VALUE_FLAGS.has(name)) {
      const value = inline ?? rest[++i]
      if (value == null) throw new InvalidArgumentError(`--${name} needs a value`)
      flags.set(name, value)
    } else {
      throw new InvalidArgumentError(`unknown option --${name}`)
    }
  }
  return { command: command as Command, ...(tls != null ? { tls } : {}), ...(audit != null ? { audit } : {}), ...(authority != null ? { authority } : {}), flags, switches }
}

export const USAGE = `dak-node — a Dak department node

  dak-node start   [--no-invite]                     run the node in the foreground (Ctrl-C stops it)
  dak-node invite  --handle H --name "Full Name" --title T [--hours N]
  dak-node revoke  --handle H | --device HEX
  dak-node wipe    --handle H [--device HEX]         order the officer's devices (or one) to erase themselves
  dak-node devices
  dak-node status
  dak-node tls init [--names N1,N2]                  make the department CA and the node's HTTPS certificate
  dak-node tls renew                                 a new HTTPS certificate now (the running node takes it up)
  dak-node audit list                                the log of admin actions and its signed head
  dak-node audit verify [--expect SIZE:HASH]         check that no entry was edited, removed or reordered
                                                     (exit 3 when it was; --expect: a head noted earlier)
  dak-node authority export-key --out FILE           move the authority key off this node (node stopped)
  dak-node authority requests --out FILE             write the certificate requests waiting for the authority
  dak-node authority sign --requests IN --key FILE --out OUT
                                                     sign them where the key is (no node, no network)
  dak-node authority import OUT                      enrol what was signed; devices collect it when they ask again

Options for every command:
  --data DIR       data directory (default .dak/department, or DAK_DATA_DIR)
  --config FILE    JSON config file (settings in docs/department-node.md)
  --host ADDR      address to listen on (DAK_HOST); not 127.0.0.1: HTTPS only
  --public-host H  name or address officers use (DAK_PUBLIC_HOST)
  --store URL      postgres://… shared engine of a scaled department (DAK_STORE;
                   docs/scaled.md); default the embedded store in <data>/db
  --json           print JSON instead of text

invite, revoke, wipe, devices, status, audit and tls renew talk to the running node through its
admin API (127.0.0.1 only, token in <data>/admin.json), or open the
database directly when no node is running.`
