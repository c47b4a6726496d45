// The zos process ABI: every number of the contract, in one place.
//
// This file is the single source of the ABI constants. It is written in the
// common subset of TypeScript and AssemblyScript (plain `export const` of
// integer literals, nothing else), so the kernel and supervisor import it as
// TypeScript and `process-lib` imports the very same file as AssemblyScript.
// Keep it that way: no types, no objects, no enums, no imports.
// docs/abi.md explains each value; kernel/abi-table.ts describes the rest of the ABI.

// §1 Limits.
export const MAX_REQUEST_DATA = 65536; // bytes appended by zos_send_bytes per syscall
export const MAX_PAYLOAD = 4088; // IPC payload bytes
export const MAX_MESSAGE = 4096; // [from u32, tag u32, payload]
export const MAX_RESPONSE_DATA = 65536; // zos: response data of one syscall, at most
export const PAGE_SIZE = 65536;
export const DEFAULT_MEMORY_LIMIT_PAGES = 256; // 16 MiB
export const DEFAULT_QUEUE_CAPACITY = 256; // messages per endpoint
export const MAX_NAME_BYTES = 64; // a process name's UTF-8 bytes; longer names are cut at spawn

// §3 zos's bounds on shared resources: no one process can exhaust any of
// them for the others. A refusal is an error code (docs/abi.md §3 Bounds).
export const MAX_PROCESSES = 128; // live processes; a spawn past it: E_NOMEM
export const MAX_CHILDREN = 16; // live processes started on one process's behalf; past it: E_NOMEM
export const MAX_UNASKED_GRANTS = 32; // capabilities one process holds CAP_GRANTed into another's CSpace
export const MAX_SLOTS = 1024; // slots per CSpace
export const MAX_ENDPOINTS = 256; // endpoints one process owns
export const CONSOLE_CAPACITY = 1048576; // undrained console bytes per process; past it CONSOLE_WRITE: E_AGAIN
export const MAX_SERVICE_NAMES = 64; // names in init's registry
export const MAX_SERVICE_NAMES_PER_OWNER = 8; // names one process may hold registered
export const MAX_LEASE_MS = 604800000; // 7 days: a longer lease is refused (E_INVAL)

// §2 Error codes.
export const E_OK = 0;
export const E_PERM = 1;
export const E_NOENT = 2;
export const E_INVAL = 3;
export const E_NOSYS = 4;
export const E_AGAIN = 5;
export const E_NOMEM = 6;
export const E_BADF = 7;
export const E_BUSY = 8;
export const E_EXIST = 9;
export const E_OVERFLOW = 10;
// A slot-shaped result with this bit set is an error: SLOT_ERROR_BIT | code.
export const SLOT_ERROR_BIT = 1 << 31;

// §3 Syscall numbers.
export const SYS_DEBUG = 0x01;
export const SYS_GET_TIME = 0x02;
export const SYS_GET_PID = 0x03;
export const SYS_LIST_CAPS = 0x04;
export const SYS_LIST_PROCS = 0x05;
export const SYS_GET_WALLCLOCK = 0x06;
export const SYS_CONSOLE_WRITE = 0x07;
export const SYS_THREAD_CREATE = 0x10;
export const SYS_EXIT = 0x11;
export const SYS_YIELD = 0x12;
export const SYS_SLEEP = 0x13;
export const SYS_CAP_GRANT = 0x30;
export const SYS_CAP_REVOKE = 0x31;
export const SYS_CAP_DELETE = 0x32;
export const SYS_CAP_INSPECT = 0x33;
export const SYS_CAP_DERIVE = 0x34;
export const SYS_EP_CREATE = 0x35;
export const SYS_SEND = 0x40;
export const SYS_RECEIVE = 0x41;
export const SYS_CALL = 0x42;
export const SYS_REPLY = 0x43;
export const SYS_SEND_CAP = 0x44;
// zos extensions (docs/abi.md §8). Binaries built for the ABI never use them;
// every other unlisted number still answers E_NOSYS.
export const SYS_ZOS_AXIOM = 0x70; // kind, count -> length: text about the logs
export const SYS_ZOS_KILL = 0x71; // slot of a Process capability with write -> status
export const SYS_ZOS_LEASE = 0x72; // slot, perms, ms -> slot of a copy that expires
export const SYS_ZOS_LEASE_LEFT = 0x73; // slot -> length: 0 never expires, else LeaseInfo

// The `part` argument of GET_TIME and GET_WALLCLOCK, and of EP_CREATE.
export const PART_LOW = 0;
export const PART_HIGH = 1;
export const EP_CREATE_NEW = 0;
export const EP_CREATE_ID_LOW = 1;
export const EP_CREATE_ID_HIGH = 2;

// SYS_RECEIVE flags and SYS_SEND_CAP's packed length argument.
export const RECV_BLOCK = 1;
// zos: in RECEIVE's moved-slot list, a capability revoked (or whose object
// died) while its message was queued. All bits set: -1 as an i32.
export const SLOT_LOST_IN_TRANSIT = -1;
export const SEND_CAP_COUNT_SHIFT = 16;
export const SEND_CAP_LEN_MASK = 0xffff;

// SYS_ZOS_AXIOM kinds.
export const AXIOM_SYSLOG = 0;
export const AXIOM_COMMITS = 1;
export const AXIOM_VERIFY = 2;
export const AXIOM_STATE_HASH = 3;

// Perms byte.
export const PERM_READ = 0x01;
export const PERM_WRITE = 0x02;
export const PERM_GRANT = 0x04;
export const PERM_ALL = 0x07;

// §4 PIDs, slots, states.
export const PID_SUPERVISOR = 0;
export const PID_INIT = 1;
export const PID_PERMISSION = 2;
export const INIT_ENDPOINT_ID = 1;
export const SLOT_SELF = 0; // own endpoint
export const SLOT_INPUT = 1; // console input and revocation notices
export const SLOT_INIT = 2; // write-only capability to the init endpoint
export const STATE_RUNNING = 0;
export const STATE_WAITING = 1;
export const STATE_EXITED = 2;

// Object types.
export const OBJ_ENDPOINT = 1;
export const OBJ_CONSOLE = 2;
export const OBJ_STORAGE = 3;
export const OBJ_NETWORK = 4;
export const OBJ_PROCESS = 5;
export const OBJ_MEMORY = 6;

// §5 Message tags.
export const MSG_CONSOLE_INPUT = 0x0002;
export const MSG_REGISTER_SERVICE = 0x1000;
export const MSG_LOOKUP_SERVICE = 0x1001;
export const MSG_LOOKUP_RESPONSE = 0x1002;
export const MSG_SPAWN_SERVICE = 0x1003;
export const MSG_SPAWN_RESPONSE = 0x1004;
export const MSG_SERVICE_READY = 0x1005;
export const MSG_LIST_PROGRAMS = 0x1006; // zos: to init; the reply lists the programs one can spawn
export const MSG_GRANT_PERMISSION = 0x1010;
export const MSG_REVOKE_PERMISSION = 0x1011;
export const MSG_PERMISSION_RESPONSE = 0x1012; // zos: the permission service's answer
export const MSG_APP_STATE = 0x2000;
export const MSG_APP_INPUT = 0x2001;
export const MSG_CAP_REVOKED = 0x3010;

// MSG_CAP_REVOKED reasons.
export const REVOKE_EXPLICIT = 1;
export const REVOKE_EXPIRED = 2;
export const REVOKE_PROCESS_EXITED = 3;
