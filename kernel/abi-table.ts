// The ABI as data: one row per syscall, every binary layout, the imports a
// process may have, what each error means.
//
// This is the one description of the contract beyond its numbers (which are
// in abi.ts, shared with AssemblyScript). Everything else is made from it:
// the gateway encodes results and checks rights from the rows (gateway.ts),
// names.ts names things from it, the validator and the worker shim take the
// import list from it, scripts/gen-abi.ts generates process-lib's bindings
// and decoders (process-lib/generated/) and the tables of docs/abi.md, and
// a test fails if any of them drifts. To add a syscall: a number in abi.ts,
// a row here, a handler in the file of its concern, then `npm run gen:abi`.

import * as A from './abi.ts';

// ---------------------------------------------------------------------------
// Binary layouts. All integers little-endian; a u64 travels as low u32 then
// high u32 (the same bytes as a little-endian u64).

/** `str8`/`str16`: a u8/u16 byte count, then that many bytes of UTF-8. */
export type FieldType = 'u8' | 'u16' | 'u32' | 'u64' | 'bool' | 'str8' | 'str16';
export type Field = readonly [name: string, type: FieldType];

export interface Layout {
  /** The name of its decoder class in process-lib. */
  readonly name: string;
  readonly doc: string;
  readonly fields: readonly Field[];
  /** A list layout: `fields` is a header whose first field counts these entries. */
  readonly entries?: Layout;
}

const layout = (name: string, doc: string, fields: readonly Field[], entries?: Layout): Layout =>
  ({ name, doc, fields, entries });

const CAP_ENTRY = layout('CapEntry', 'one capability', [['slot', 'u32'], ['type', 'u8'], ['object_id', 'u64']]);
const PROC_ENTRY = layout('ProcEntry', 'one live process', [['pid', 'u32'], ['name', 'str16']]);

export const LAYOUTS = {
  CapEntry: CAP_ENTRY,
  CapList: layout('CapList', 'LIST_CAPS response data', [['count', 'u32']], CAP_ENTRY),
  ProcEntry: PROC_ENTRY,
  ProcList: layout('ProcList', 'LIST_PROCS response data', [['count', 'u32']], PROC_ENTRY),
  CapInfo: layout('CapInfo', 'CAP_INSPECT response data', [
    ['type', 'u8'], ['perms', 'u8'], ['pad', 'u16'], ['slot', 'u32'], ['object_id', 'u64'],
  ]),
  MessageHeader: layout('MessageHeader',
    'RECEIVE and CALL response data begin with it; then the payload, then a u32 slot per moved capability',
    [['from', 'u32'], ['tag', 'u32']]),
  MovedSlot: layout('MovedSlot', 'after a received message\'s payload, where each capability that came with it landed',
    [['slot', 'u32']]),
  CapRevokedNotice: layout('CapRevokedNotice', 'CAP_REVOKED payload, one per capability lost', [
    ['slot', 'u32'], ['object_type', 'u8'], ['object_id', 'u64'], ['reason', 'u8'],
  ]),
  ServiceName: layout('ServiceName', 'LOOKUP_SERVICE and SPAWN_SERVICE payload', [['name', 'str8']]),
  RegisterRequest: layout('RegisterRequest', 'REGISTER_SERVICE payload', [['name', 'str8'], ['endpoint_id', 'u64']]),
  LookupResponse: layout('LookupResponse', 'LOOKUP_RESPONSE payload', [['found', 'bool'], ['endpoint_id', 'u64']]),
  SpawnResponse: layout('SpawnResponse', 'SPAWN_RESPONSE payload (zos)', [
    ['status', 'u8'], ['pid', 'u32'], ['process_slot', 'u32'],
  ]),
  StatusReply: layout('StatusReply', "init's reply to REGISTER_SERVICE and to a request it does not know (zos)",
    [['status', 'u8']]),
  GrantRequest: layout('GrantRequest', 'GRANT_PERMISSION payload (zos)', [
    ['to_pid', 'u32'], ['object_type', 'u8'], ['object_id', 'u64'], ['perms', 'u8'],
  ]),
  RevokeRequest: layout('RevokeRequest', 'REVOKE_PERMISSION payload (zos)', [['pid', 'u32'], ['slot', 'u32']]),
  PermissionResponse: layout('PermissionResponse', "the permission service's answer (zos)", [
    ['status', 'u8'], ['slot', 'u32'],
  ]),
  RevokeReport: layout('RevokeReport', 'CAP_REVOKE response data (zos): what the revoke removed, for the teaching shell', [
    ['removed', 'u32'], ['processes', 'u32'], ['in_flight', 'u32'],
  ]),
  LeaseInfo: layout('LeaseInfo', 'ZOS_LEASE_LEFT response data (zos): when a leased capability expires', [
    ['ms_left', 'u32'], ['expires_ns', 'u64'],
  ]),
  InitAnswer: layout('InitAnswer', 'response data of an INIT: request that returns a number (zos)', [['value', 'u32']]),
} as const satisfies Record<string, Layout>;

export type LayoutName = keyof typeof LAYOUTS;

// ---------------------------------------------------------------------------
// Imports (ABI §1): the only ones a process may have, all from module `env`.

export type WasmType = 'i32';

export interface ImportRow {
  readonly name: string;
  readonly kind: 'func' | 'memory';
  readonly params: readonly WasmType[];
  readonly results: readonly WasmType[];
  readonly optional: boolean;
  readonly doc: string;
}

const func = (name: string, params: number, results: number, doc: string, optional = false): ImportRow => ({
  name, kind: 'func', params: Array(params).fill('i32'), results: Array(results).fill('i32'), optional, doc,
});

export const IMPORT_MODULE = 'env';

export const IMPORTS: readonly ImportRow[] = [
  func('zos_syscall', 4, 1, 'make syscall `num` with three arguments; blocks until the kernel answers'),
  func('zos_send_bytes', 2, 0, 'append `len` bytes at `ptr` to the request data of the next syscall'),
  func('zos_recv_bytes', 2, 1, 'copy at most `max` bytes of the last syscall\'s response data to `ptr`; returns the count'),
  func('zos_yield', 0, 0, 'give up the CPU; parked until something happens for the process (a message, room it waited for) or its park ends: 4 ms, 8 ms while nothing happens (ABI §1: a few ms)'),
  func('zos_get_pid', 0, 1, 'own PID, answered in the worker'),
  func('abort', 4, 0, "AssemblyScript's abort(msg, file, line, col): the process faults with the message", true),
  { name: 'memory', kind: 'memory', params: [], results: [], optional: true,
    doc: 'a memory with the declared minimum and a maximum no larger than the process memory limit' },
];

/** `(i32, i32) -> i32`: how validator messages and docs write a function's type. */
export const signatureText = ({ params, results }: { params: readonly string[]; results: readonly string[] }): string =>
  `(${params.join(', ')}) -> ${results.length === 1 ? results[0] : `(${results.join(', ')})`}`;

/** The imports as WAT text, for programs written in WAT: each function named `$` + its name without `zos_`. */
export function importsAsWat(): string {
  return IMPORTS.filter((i) => i.kind === 'func' && !i.optional).map((i) => {
    const params = i.params.length ? ` (param ${i.params.join(' ')})` : '';
    const results = i.results.length ? ` (result ${i.results.join(' ')})` : '';
    return `  (import "${IMPORT_MODULE}" "${i.name}" (func $${i.name.replace(/^zos_/, '')}${params}${results}))`;
  }).join('\n');
}

// ---------------------------------------------------------------------------
// Errors (ABI §2): the words every layer uses for a code.

export const ERROR_MEANINGS: Readonly<Record<number, string>> = {
  [A.E_OK]: 'success',
  [A.E_PERM]: 'permission denied',
  [A.E_NOENT]: 'no such process, endpoint or entry',
  [A.E_INVAL]: 'invalid argument',
  [A.E_NOSYS]: 'no such syscall',
  [A.E_AGAIN]: 'queue full, try again',
  [A.E_NOMEM]: 'a bound was reached (slots, endpoints, processes, grants)',
  [A.E_BADF]: 'no capability in that slot',
  [A.E_BUSY]: 'busy',
  [A.E_EXIST]: 'already exists',
  [A.E_OVERFLOW]: 'too much data',
};

// ---------------------------------------------------------------------------
// Syscalls (ABI §3).

/**
 * How a result carries an error (ABI §2): `status` 0 or a code; `slot` the
 * slot or SLOT_ERROR_BIT | code; `length` bytes of response data or -code;
 * `value` a number with no error form; `noreturn` never answers.
 */
export type ResultShape = 'status' | 'slot' | 'length' | 'value' | 'noreturn';

/**
 * A right the gateway checks before the handler runs: the capability in the
 * slot named by argument `slotArg` must exist (E_BADF), be of `type` and
 * hold `rights` (E_PERM), and, with `owner`, name an endpoint the caller
 * owns (E_PERM). The rules themselves are in rights.ts.
 */
export interface Needs {
  readonly slotArg: 0 | 1 | 2;
  readonly rights: number;
  readonly type?: number;
  readonly owner?: boolean;
}

export interface SyscallRow {
  readonly num: number;
  readonly args: readonly (readonly [name: string, doc: string])[];
  readonly result: ResultShape;
  readonly resultDoc: string;
  /** Request data, when the call reads any. */
  readonly request?: string;
  /** Response data: a layout, or words for a variable one. */
  readonly response?: LayoutName | string;
  readonly needs?: Needs;
  /** The right or ownership it needs, in words. */
  readonly needsDoc: string;
  readonly doc: string;
  /** A zos extension (0x70–0x7F): binaries built for the ABI never use it. */
  readonly zos?: boolean;
}

const slot = (doc = 'a slot of the caller'): readonly [string, string] => ['slot', doc];

const SYSCALL_ROWS: readonly SyscallRow[] = [
  { num: A.SYS_DEBUG, args: [['len', 'bytes of request data to log']], result: 'status', resultDoc: 'status',
    request: 'UTF-8 text', needsDoc: '—',
    doc: 'text to the debug log; from PID 1, `INIT:` text is a request to the supervisor (§6)' },
  { num: A.SYS_GET_TIME, args: [['part', '0 low, 1 high']], result: 'value', resultDoc: 'half of ns since boot',
    needsDoc: '—', doc: 'the kernel\'s clock, which the supervisor passes in' },
  { num: A.SYS_GET_PID, args: [], result: 'value', resultDoc: 'the caller\'s PID', needsDoc: '—', doc: 'own PID' },
  { num: A.SYS_LIST_CAPS, args: [], result: 'status', resultDoc: 'status', response: 'CapList', needsDoc: '—',
    doc: 'the caller\'s capabilities, by slot' },
  { num: A.SYS_LIST_PROCS, args: [], result: 'status', resultDoc: 'status', response: 'ProcList', needsDoc: '—',
    doc: 'the live processes; PID 0 is not listed; names are at most 64 bytes' },
  { num: A.SYS_GET_WALLCLOCK, args: [['part', '0 low, 1 high']], result: 'value',
    resultDoc: 'half of ms since the epoch', needsDoc: '—', doc: 'boot wall clock + time since boot' },
  { num: A.SYS_CONSOLE_WRITE, args: [['len', 'bytes of request data to write']], result: 'status',
    resultDoc: 'status', request: 'bytes', needsDoc: '—',
    doc: 'to the caller\'s own console; E_AGAIN while 1 MiB is undrained' },
  { num: A.SYS_THREAD_CREATE, args: [], result: 'status', resultDoc: 'E_NOSYS', needsDoc: '—',
    doc: 'not supported: one thread per process' },
  { num: A.SYS_EXIT, args: [['code', 'exit code']], result: 'noreturn', resultDoc: 'never returns', needsDoc: '—',
    doc: 'ends the caller (cleanup as for any end, §4)' },
  { num: A.SYS_YIELD, args: [], result: 'status', resultDoc: '0', needsDoc: '—', doc: 'a syscall that does nothing' },
  { num: A.SYS_SLEEP, args: [['ns_low', 'low 32 bits of ns'], ['ns_high', 'high 32 bits of ns']], result: 'status',
    resultDoc: '0 when the time has passed', needsDoc: '—', doc: '0 ns answers at once' },
  { num: A.SYS_CAP_GRANT, args: [['from_slot', 'the capability to copy'], ['to_pid', 'the receiving process'],
    ['perms', 'rights asked for the copy']], result: 'slot', resultDoc: 'slot in the target',
  needs: { slotArg: 0, rights: A.PERM_GRANT }, needsDoc: 'grant on the source',
  doc: 'copy to another process with `source ∩ perms`; past the unasked-grant bound E_NOMEM' },
  { num: A.SYS_CAP_REVOKE, args: [slot()], result: 'status', resultDoc: 'status', response: 'RevokeReport',
    needs: { slotArg: 0, rights: A.PERM_GRANT }, needsDoc: 'grant on the slot',
    doc: 'removes every capability derived or granted from the slot, in every process; the slot stays' },
  { num: A.SYS_CAP_DELETE, args: [slot()], result: 'status', resultDoc: 'status',
    needs: { slotArg: 0, rights: 0 }, needsDoc: 'a capability in the slot',
    doc: 'empties the caller\'s slot; what was derived from it stays, still reachable by a revoke from above' },
  { num: A.SYS_CAP_INSPECT, args: [slot()], result: 'value', resultDoc: '1 present, 0 empty', response: 'CapInfo',
    needsDoc: '—', doc: 'what the slot holds' },
  { num: A.SYS_CAP_DERIVE, args: [slot(), ['perms', 'rights asked for the copy']], result: 'slot',
    resultDoc: 'new slot', needs: { slotArg: 0, rights: 0 }, needsDoc: 'a capability in the slot',
    doc: 'a copy with `source ∩ perms` in the caller\'s own CSpace' },
  { num: A.SYS_EP_CREATE, args: [['part', '0 create; 1/2 low/high of the caller\'s newest endpoint id']],
    result: 'slot', resultDoc: 'part 0: the new slot; 1/2: half of an id', needsDoc: '—',
    doc: 'a new endpoint owned by the caller, with read, write and grant' },
  { num: A.SYS_SEND, args: [slot(), ['tag', 'message tag'], ['len', 'payload bytes of request data']],
    result: 'status', resultDoc: 'status', request: 'payload',
    needs: { slotArg: 0, rights: A.PERM_WRITE, type: A.OBJ_ENDPOINT }, needsDoc: 'write on an Endpoint',
    doc: 'queues a message, FIFO per endpoint; a full queue answers E_AGAIN and loses nothing' },
  { num: A.SYS_RECEIVE, args: [slot(), ['flags', 'bit 0: block'], ['timeout_ms', '0: no limit']],
    result: 'length', resultDoc: 'length of the message, 0 for none',
    response: 'MessageHeader, payload, moved slots u32…',
    needs: { slotArg: 0, rights: A.PERM_READ, type: A.OBJ_ENDPOINT, owner: true },
    needsDoc: 'read on an Endpoint, and being its owner',
    doc: 'takes the next message; blocking, it wakes with -E_BADF if the capability is removed meanwhile' },
  { num: A.SYS_CALL, args: [slot(), ['tag', 'message tag'], ['len', 'payload bytes of request data']],
    result: 'length', resultDoc: 'length of the reply', request: 'payload',
    response: 'MessageHeader, payload',
    needs: { slotArg: 0, rights: A.PERM_WRITE, type: A.OBJ_ENDPOINT }, needsDoc: 'write on an Endpoint',
    doc: 'sends with a one-shot reply right and waits for the REPLY' },
  { num: A.SYS_REPLY, args: [['caller_pid', 'whose CALL to answer'], ['tag', 'reply tag'],
    ['len', 'payload bytes of request data']], result: 'status', resultDoc: 'status', request: 'payload',
  needsDoc: 'a reply right: that CALL was received and not yet answered',
  doc: 'answers a received CALL (else E_NOENT): replies cannot be forged' },
  { num: A.SYS_SEND_CAP, args: [slot(), ['tag', 'message tag'], ['lengths', 'payload bytes | (count << 16)']],
    result: 'status', resultDoc: 'status', request: 'payload, then `count` slots u32',
    needs: { slotArg: 0, rights: A.PERM_WRITE, type: A.OBJ_ENDPOINT }, needsDoc: 'write on an Endpoint',
    doc: 'moves the listed capabilities with the message: all or none' },
  { num: A.SYS_ZOS_AXIOM, args: [['kind', '0 SysLog, 1 CommitLog, 2 verify, 3 state hash; 4, 5 as 0, 1 in words'],
    ['count', 'newest entries (default 10)']], result: 'length', resultDoc: 'length of the text',
  response: 'UTF-8 text', needsDoc: '—', zos: true, doc: 'the logs as text, for the shell' },
  { num: A.SYS_ZOS_KILL, args: [slot('a Process capability')], result: 'status', resultDoc: 'status',
    needs: { slotArg: 0, rights: A.PERM_WRITE, type: A.OBJ_PROCESS }, needsDoc: 'write on a Process',
    zos: true, doc: 'ends that process; killing oneself does not return' },
  { num: A.SYS_ZOS_LEASE, args: [slot(), ['perms', 'rights asked for the copy'], ['ms', 'lifetime, 1 to MAX_LEASE_MS']],
    result: 'slot', resultDoc: 'new slot', needs: { slotArg: 0, rights: 0 }, needsDoc: 'a capability in the slot',
    zos: true,
    doc: 'as DERIVE, and the copy expires after `ms` or with its source, whichever is sooner; at expiry it and '
      + 'all derived from it go, each holder told with reason 2' },
  { num: A.SYS_ZOS_LEASE_LEFT, args: [slot()], result: 'length', resultDoc: '0 if it never expires, else 12',
    response: 'LeaseInfo', needs: { slotArg: 0, rights: 0 }, needsDoc: 'a capability in the slot', zos: true,
    doc: 'how long the capability in the slot has left' },
];

/** The syscall table by number. */
export const SYSCALLS: ReadonlyMap<number, SyscallRow> = new Map(SYSCALL_ROWS.map((r) => [r.num, r]));

/** The rows in ABI order. */
export const syscallRows = (): readonly SyscallRow[] => SYSCALL_ROWS;

/** Unknown numbers answer E_NOSYS as a status (ABI §2). */
export const shapeOf = (num: number): ResultShape => SYSCALLS.get(num)?.result ?? 'status';

// ---------------------------------------------------------------------------
// Message tags (ABI §5) and what their payload holds.

export const TAG_PAYLOADS: Readonly<Record<number, LayoutName | string>> = {
  [A.MSG_CONSOLE_INPUT]: 'UTF-8 text, from PID 0',
  [A.MSG_REGISTER_SERVICE]: 'RegisterRequest',
  [A.MSG_LOOKUP_SERVICE]: 'ServiceName',
  [A.MSG_LOOKUP_RESPONSE]: 'LookupResponse',
  [A.MSG_SPAWN_SERVICE]: 'ServiceName',
  [A.MSG_SPAWN_RESPONSE]: 'SpawnResponse',
  [A.MSG_SERVICE_READY]: 'empty',
  [A.MSG_LIST_PROGRAMS]: 'empty; the reply: program names, one per line (zos)',
  [A.MSG_GRANT_PERMISSION]: 'GrantRequest',
  [A.MSG_REVOKE_PERMISSION]: 'RevokeRequest',
  [A.MSG_PERMISSION_RESPONSE]: 'PermissionResponse',
  [A.MSG_APP_STATE]: 'app protocol',
  [A.MSG_APP_INPUT]: 'app protocol',
  [A.MSG_CAP_REVOKED]: 'CapRevokedNotice',
};
