// The CommitLog's record types (ABI §7) and their canonical encoding.
//
// Every change to the replayable kernel state is one of these commits. The
// field order of each type is fixed here, once: it is the schema, the types
// of `Commit`, and the order in which the canonical encoding (and so the
// hash) lists the fields.

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
  // a message. It keeps its place in the tree while in flight (cspace.ts).
  CapRemoved: ['pid', 'slot', 'moving'],
  CapGranted: ['from_pid', 'to_pid', 'from_slot', 'to_slot', 'new_cap_id', 'perms'],
  // zos: a lease. The capability (and everything later derived or granted
  // from it) expires at `expires`, ns since boot; never later than before.
  CapLeased: ['pid', 'slot', 'expires'],
  // zos: a capability removed because its lease ran out (MSG_CAP_REVOKED
  // reason 2), at the time the kernel was given; caused_by is null.
  CapExpired: ['pid', 'slot'],
  EndpointCreated: ['id', 'owner'],
  EndpointDestroyed: ['id'],
  MessageSent: ['from_pid', 'to_endpoint', 'tag', 'size'],
} as const;

export type CommitType = keyof typeof COMMIT_FIELDS;

/** The fields that hold text; every other field is an integer. */
const TEXT_FIELDS = ['name', 'reason', 'description'] as const;
type FieldName<T extends CommitType> = (typeof COMMIT_FIELDS)[T][number];
type FieldKind<N> = N extends (typeof TEXT_FIELDS)[number] ? string : number;

/** The fields of one commit type, typed from the table above. */
export type FieldsOf<T extends CommitType> = { [N in FieldName<T>]: FieldKind<N> };

interface CommitHeader {
  seq: number;
  prev_hash: string;
  time: number; // ns since boot
  caused_by: number | null; // the SysLog request id, or null for a supervisor act
  hash: string;
}

/** A commit of any type; narrowing on `type` types `fields`. */
export type Commit = { [T in CommitType]: CommitHeader & { type: T; fields: FieldsOf<T> } }[CommitType];
export type CommitOf<T extends CommitType> = Extract<Commit, { type: T }>;
export type UnhashedCommit = { [T in CommitType]: Omit<CommitOf<T>, 'hash'> }[CommitType];

export const GENESIS_PREV_HASH = '0'.repeat(64);

const isTextField = (name: string): boolean => (TEXT_FIELDS as readonly string[]).includes(name);

/** A commit's fields as a plain record, for code that lists them by name (views, exports). */
export const fieldsOf = (c: UnhashedCommit): Readonly<Record<string, number | string>> =>
  c.fields as Readonly<Record<string, number | string>>;

/**
 * Why `fields` are not those of a commit of `type` (each field present, of
 * its kind, and no other), or null when they are: for commits read from
 * outside the kernel (saved boots, traces).
 */
export function fieldsProblem(type: CommitType, fields: Readonly<Record<string, unknown>>): string | null {
  const names = COMMIT_FIELDS[type] as readonly string[];
  for (const name of names) {
    const v = fields[name];
    if (isTextField(name) ? typeof v !== 'string' : typeof v !== 'number' || !Number.isSafeInteger(v)) {
      return `${type}.${name} must be ${isTextField(name) ? 'text' : 'an integer'}`;
    }
  }
  const extra = Object.keys(fields).find((n) => !names.includes(n));
  return extra === undefined ? null : `${type} has no field ${extra}`;
}

/**
 * The bytes that a commit's hash covers: a JSON array of every part of the
 * commit except the hash itself, fields in their fixed order. JSON keeps it
 * readable in exported logs; the fixed order makes it canonical.
 */
export function canonicalCommit(c: UnhashedCommit): string {
  const names = COMMIT_FIELDS[c.type] as readonly string[] | undefined;
  if (!names) throw new Error(`unknown commit type ${String(c.type)}`);
  // The same text as JSON.stringify([seq, prev_hash, time, type, [values…], caused_by]),
  // built directly: it runs once per commit, on the hottest path of the kernel.
  const fields = c.fields as Record<string, number | string | undefined>;
  let values = '';
  for (let i = 0; i < names.length; i++) values += (i ? ',' : '') + json(fields[names[i]!]);
  return `[${json(c.seq)},${json(c.prev_hash)},${json(c.time)},${json(c.type)},[${values}],${json(c.caused_by)}]`;
}

/** A value as JSON.stringify writes it inside an array. */
function json(v: number | string | null | undefined): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return typeof v === 'string' ? JSON.stringify(v) : 'null';
}
