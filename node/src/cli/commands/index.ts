import { NETWORK_FLAGS, type CommandSpec } from '../command.js'

/** Every command, in the order help lists them; each file under commands/ holds one implementation. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'init',
    synopsis: '--invite URL|CODE | --link URL|CODE [--node URL] [--ca FILE] [--wait-minutes N] [--listen MULTIADDR...] [--no-mdns]',
    summary: 'enrol this device with an invite from your department node',
    flags: { invite: 'string', link: 'string', node: 'string', ca: 'string', 'wait-minutes': 'string', listen: 'list', mdns: 'boolean', 'no-mdns': 'boolean' },
    arity: [0, 0],
    local: true,
    load: async () => (await import('./init.js')).init
  },
  {
    name: 'whoami',
    synopsis: '',
    summary: 'show the officer and device this data directory belongs to',
    flags: {},
    arity: [0, 0],
    load: async () => (await import('./whoami.js')).whoami
  },
  {
    name: 'status',
    synopsis: '',
    summary: 'show the connection mode, peers and queued messages',
    flags: NETWORK_FLAGS,
    arity: [0, 0],
    load: async () => (await import('./status.js')).status
  },
  {
    name: 'contacts',
    synopsis: '',
    summary: 'list the officers this device knows',
    flags: NETWORK_FLAGS,
    arity: [0, 0],
    load: async () => (await import('./contacts.js')).contacts
  },
  {
    name: 'conversations',
    synopsis: '',
    summary: 'list conversations with their ids, members and last message',
    flags: NETWORK_FLAGS,
    arity: [0, 0],
    load: async () => (await import('./conversations.js')).conversations
  },
  {
    name: 'chat new',
    synopsis: '--with HANDLE',
    summary: 'start a 1:1 conversation and print its id',
    flags: { ...NETWORK_FLAGS, with: 'string' },
    arity: [0, 0],
    required: ['with'],
    load: async () => (await import('./chat.js')).chatNew
  },
  {
    name: 'chat timer',
    synopsis: 'CONVERSATION 1h|1d|7d|off',
    summary: 'make messages disappear that long after sending, on every device and the node (admins only)',
    flags: NETWORK_FLAGS,
    arity: [2, 2],
    load: async () => (await import('./chat.js')).chatTimer
  },
  {
    name: 'chat',
    synopsis: 'CONVERSATION',
    summary: 'chat interactively: messages print as they arrive, each line you type is sent (/history, /quit)',
    flags: NETWORK_FLAGS,
    arity: [1, 1],
    local: true,
    load: async () => (await import('./chat-interactive.js')).chat
  },
  {
    name: 'group create',
    synopsis: 'NAME --members HANDLE...',
    summary: 'create a group conversation and print its id',
    flags: { ...NETWORK_FLAGS, members: 'list' },
    arity: [1, 1],
    required: ['members'],
    load: async () => (await import('./group.js')).groupCreate
  },
  {
    name: 'group add',
    synopsis: 'CONVERSATION HANDLE...',
    summary: 'add officers to a group (admins only)',
    flags: NETWORK_FLAGS,
    arity: [2, Infinity],
    load: async () => (await import('./group.js')).groupAdd
  },
  {
    name: 'group remove',
    synopsis: 'CONVERSATION HANDLE',
    summary: 'remove an officer from a group (admins only)',
    flags: NETWORK_FLAGS,
    arity: [2, 2],
    load: async () => (await import('./group.js')).groupRemove
  },
  {
    name: 'send',
    synopsis: 'CONVERSATION TEXT|- [--file PATH] [--reply-to MESSAGE] [--precedence flash|immediate|routine]',
    summary: 'send a message (- or a pipe: from standard input); exit 0 once stored or delivered, 3 if it could only be queued',
    flags: { ...NETWORK_FLAGS, file: 'string', 'reply-to': 'string', precedence: 'string' },
    arity: [1, 2],
    load: async () => (await import('./send.js')).send
  },
  // ---- attachments (docs/files.md)
  {
    name: 'send-file',
    synopsis: 'CONVERSATION PATH [--name NAME] [--type MEDIA/TYPE]',
    summary: 'send a file (encrypted, in chunks); exit 0 once stored at a department node or delivered, 3 if it is on this device only',
    flags: { ...NETWORK_FLAGS, name: 'string', type: 'string' },
    arity: [2, 2],
    load: async () => (await import('./send-file.js')).sendFile
  },
  {
    name: 'download',
    synopsis: 'MESSAGE [--out PATH]',
    summary: 'fetch a message\'s file (resuming), check it against its manifest, and save it; progress on stderr',
    flags: { ...NETWORK_FLAGS, out: 'string' },
    arity: [1, 1],
    load: async () => (await import('./download.js')).download
  },
  {
    name: 'history',
    synopsis: 'CONVERSATION [--limit 1-500] [--ids]',
    summary: 'print the latest messages of a conversation, oldest first (--ids: with the start of each message id)',
    flags: { ...NETWORK_FLAGS, limit: 'string', ids: 'boolean' },
    arity: [1, 1],
    load: async () => (await import('./history.js')).history
  },
  {
    name: 'listen',
    synopsis: '',
    summary: 'stay online, print messages as they arrive and deliver the outbox; other dak commands run through it meanwhile (Ctrl-C to stop)',
    flags: NETWORK_FLAGS,
    arity: [0, 0],
    load: async () => (await import('./listen.js')).listen
  },
  {
    name: 'safety-number',
    synopsis: 'HANDLE',
    summary: 'print the safety number shared with an officer, to compare out of band',
    flags: NETWORK_FLAGS,
    arity: [1, 1],
    load: async () => (await import('./safety-number.js')).safetyNumber
  },
  {
    name: 'devices',
    synopsis: '[HANDLE] [--accept DEVICE-KEY]',
    summary: "list an officer's devices, or your own without HANDLE (new ones get nothing until accepted); --accept one after comparing the safety number",
    flags: { ...NETWORK_FLAGS, accept: 'string' },
    arity: [0, 1],
    load: async () => (await import('./devices.js')).devices
  },
  {
    name: 'device link',
    synopsis: '',
    summary: 'get a one-time code (valid minutes) that enrols another device of yours: dak init --link CODE on it',
    flags: NETWORK_FLAGS,
    arity: [0, 0],
    load: async () => (await import('./device-link.js')).deviceLink
  },
  {
    name: 'device vouch',
    synopsis: 'DEVICE-KEY',
    summary: 'after `dak init --link` on your new device: vouch for it (its key, or 12+ hex digits of it) and add it to every conversation',
    flags: NETWORK_FLAGS,
    arity: [1, 1],
    load: async () => (await import('./device-link.js')).deviceVouch
  },
  {
    name: 'device remove',
    synopsis: 'DEVICE-KEY',
    summary: 'remove another device of yours (its key, or 12+ hex digits) from every conversation: it reads nothing written after',
    flags: NETWORK_FLAGS,
    arity: [1, 1],
    load: async () => (await import('./device-link.js')).deviceRemove
  },
  // issue 16: everyday messaging and directives
  {
    name: 'edit',
    synopsis: 'CONVERSATION MESSAGE TEXT|- [--file PATH]',
    summary: "change the text of your own message, within your department's edit window",
    flags: { ...NETWORK_FLAGS, file: 'string' },
    arity: [2, 3],
    load: async () => (await import('./everyday.js')).edit
  },
  {
    name: 'delete',
    synopsis: 'CONVERSATION MESSAGE',
    summary: "delete your own message for everyone, within your department's edit window",
    flags: NETWORK_FLAGS,
    arity: [2, 2],
    load: async () => (await import('./everyday.js')).deleteMessage
  },
  {
    name: 'search',
    synopsis: 'TEXT... [--in CONVERSATION] [--limit 1-200]',
    summary: 'search the history on this device (never a server): messages holding every word; exit 5 if none',
    flags: { ...NETWORK_FLAGS, in: 'string', limit: 'string' },
    arity: [1, Infinity],
    load: async () => (await import('./everyday.js')).search
  },
  {
    name: 'mute',
    synopsis: 'CONVERSATION [--off]',
    summary: 'mute a conversation on this device (no notifications or unread badge); --off to unmute',
    flags: { ...NETWORK_FLAGS, off: 'boolean' },
    arity: [1, 1],
    load: async () => (await import('./everyday.js')).mute
  },
  {
    name: 'auto-download',
    synopsis: '[SIZE|off] [--department]',
    summary: 'show or set up to which size incoming files are downloaded without asking on this device (e.g. 2MB, 500kB, off); --department follows the department\'s size again',
    flags: { ...NETWORK_FLAGS, department: 'boolean' },
    arity: [0, 1],
    load: async () => (await import('./everyday.js')).autoDownload
  },
  {
    name: 'directive send',
    synopsis: 'CONVERSATION TEXT|- [--file PATH] [--deadline +2h|+1d|DATE] [--precedence flash|immediate|routine]',
    summary: 'send an official directive, signed with this device\'s key, optionally with a deadline to acknowledge by',
    flags: { ...NETWORK_FLAGS, file: 'string', deadline: 'string', precedence: 'string' },
    arity: [1, 2],
    load: async () => (await import('./directive.js')).directiveSend
  },
  {
    name: 'directive ack',
    synopsis: 'CONVERSATION MESSAGE',
    summary: 'acknowledge a directive with a signature its sender can show as evidence',
    flags: NETWORK_FLAGS,
    arity: [2, 2],
    load: async () => (await import('./directive.js')).directiveAck
  },
  {
    name: 'directive status',
    synopsis: 'MESSAGE',
    summary: 'who acknowledged your directive, who read it without acknowledging, who has not received it',
    flags: NETWORK_FLAGS,
    arity: [1, 1],
    load: async () => (await import('./directive.js')).directiveStatus
  },
  {
    name: 'directive export',
    synopsis: 'MESSAGE --out FILE',
    summary: 'write your directive and its signed acknowledgements to FILE, for dak verify',
    flags: { ...NETWORK_FLAGS, out: 'string' },
    arity: [1, 1],
    required: ['out'],
    load: async () => (await import('./directive.js')).directiveExport
  },
  {
    name: 'verify',
    synopsis: 'FILE [--trust BUNDLE [--revocations LIST...]]',
    summary: "check a directive evidence file offline with the department's trust bundle (this device's, or --trust); exit 10 if refused",
    flags: { trust: 'string', revocations: 'list' },
    arity: [1, 1],
    load: async () => (await import('./directive.js')).verify
  },
  {
    name: 'trust export',
    synopsis: '--out FILE',
    summary: "write this device's trust bundle and revocation lists, for an auditor's dak verify --trust",
    flags: { out: 'string' },
    arity: [0, 0],
    required: ['out'],
    load: async () => (await import('./trust.js')).trustExport
  }
]
