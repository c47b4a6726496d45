// The CommitLog's record types (ABI §7) and their canonical encoding.
//
// Every change to the replayable kernel state is one of these commits. The
// field order of each type is fixed here, once: it is both the schema and the
// order in which the canonical encoding (and so the hash) lists the fields.

export const COMMIT_FIELDS = {
  Genesis: [],
  ProcessCreated: ['pid', 'parent', 'name'],
  ProcessExited: ['pid', 'code'],
  ProcessFaulted: ['pid', 'reason', 'description'],
  // `parent` is zos's addition: the cap_id this capability was derived from
  // (0 for a root). A capability moved by SEND_CAP keeps its place in the
  // derivation tree, so its re-insertion must say where that place is.
  CapInserted: ['pid', 'slot', 'cap_id', 'type', 'object_id', 'perms', 'parent'],
  // `moving` is zos's addition: 1 when SEND_CAP takes the capability away in
  // a message. It keeps its place in the tree while in flight (see state.ts).
  CapRemoved: ['pid', 'slot', 'moving'],
  CapGranted: ['from_pid', 'to_pid', 'from_slot', 'to_slot', 'new_cap_id', 'perms'],
  EndpointCreated: ['id', 'owner'],
  EndpointDestroyed: ['id'],
  MessageSent: ['from_pid', 'to_endpoint', 'tag', 'size'],
} as const;

export type CommitType = keyof typeof COMMIT_FIELDS;
export type FieldValue = number | string;
export type CommitFields = Record<string, FieldValue>;

export interface Commit {
  seq: number;
  prev_hash: string;
  time: number; // ns since boot
  type: CommitType;
  fields: CommitFields;
  caused_by: number | null; // the SysLog request id, or null for a supervisor act
  hash: string;
}

export const GENESIS_PREV_HASH = '0'.repeat(64);

/**
 * The bytes that a commit's hash covers: a JSON array of every part of the
 * commit except the hash itself, fields in their fixed order. JSON keeps it
 * readable in exported logs; the fixed order makes it canonical.
 */
export function canonicalCommit(c: Omit<Commit, 'hash'>): string {
  const names = COMMIT_FIELDS[c.type] as readonly string[] | undefined;
  if (!names) throw new Error(`unknown commit type ${String(c.type)}`);
  const values = names.map((n) => c.fields[n] ?? null);
  return JSON.stringify([c.seq, c.prev_hash, c.time, c.type, values, c.caused_by]);
}
