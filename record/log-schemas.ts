// The shapes of the kernel's log records, for every record that comes back
// from outside the running kernel: a saved boot read from IndexedDB, a trace
// file. Nothing read back is used before it passes these.
//
// Each record's shape is declared once, field by field, and gives two
// checks that agree: a zod schema, which says what is wrong in words, and a
// quick check for the common case (a trace reads hundreds of thousands of
// records: bench trace_import_ms), which only says yes or no. A record the
// quick check refuses goes to the schema for the reason.

import { z } from 'zod';
import type { SysLogEntry, SysRequest, SysResponse } from '../kernel/axiom.ts';
import { COMMIT_FIELDS, fieldsProblem, type Commit, type CommitType } from '../kernel/commits.ts';

export const int = z.number().int();
export const count = int.nonnegative();
const HEX64 = /^[0-9a-f]{64}$/;
export const hex64 = z.string().regex(HEX64, 'a SHA-256 hex digest');
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
const i32 = int.min(I32_MIN).max(I32_MAX);

/** One field's rule: its zod schema, and the same test as a plain predicate. */
interface FieldRule {
  schema: z.ZodType;
  ok(v: unknown): boolean;
}

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isI32 = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= I32_MIN && v <= I32_MAX;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const commitTypes = Object.keys(COMMIT_FIELDS) as [CommitType, ...CommitType[]];

const RULES = {
  count: { schema: count, ok: isCount },
  countOrNull: { schema: count.nullable(), ok: (v: unknown) => v === null || isCount(v) },
  countOrAbsent: { schema: count.optional(), ok: (v: unknown) => v === undefined || isCount(v) },
  time: { schema: z.number().nonnegative(), ok: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 },
  i32: { schema: i32, ok: isI32 },
  hex64: { schema: hex64, ok: (v: unknown) => typeof v === 'string' && v.length === 64 && HEX64.test(v) },
  commitType: { schema: z.enum(commitTypes), ok: (v: unknown) => typeof v === 'string' && Object.hasOwn(COMMIT_FIELDS, v) },
  // A plain object (what JSON.parse gives for {…}); its keys and values are fieldsProblem's to check.
  fields: { schema: z.custom<Record<string, unknown>>(isObject, 'an object'), ok: isObject },
  args: { schema: z.tuple([i32, i32, i32]), ok: (v: unknown) => Array.isArray(v) && v.length === 3 && v.every(isI32) },
  request: { schema: z.literal('request'), ok: (v: unknown) => v === 'request' },
  response: { schema: z.literal('response'), ok: (v: unknown) => v === 'response' },
} satisfies Record<string, FieldRule>;

/**
 * A record's two checks. `read` gives the record (its declared fields only,
 * as zod's output has) or null; `parse` answers as zod's safeParse does,
 * asking the schema only when the quick check refuses (for the reason).
 */
export interface RecordShape<T> {
  schema: z.ZodType<T>;
  read(v: Record<string, unknown>): T | null;
  parse(v: unknown): z.ZodSafeParseResult<T>;
}

function withParse<T>(shape: Omit<RecordShape<T>, 'parse'>): RecordShape<T> {
  return {
    ...shape,
    parse(v) {
      const quick = isObject(v) ? shape.read(v) : null;
      return quick !== null ? { success: true, data: quick } : shape.schema.safeParse(v);
    },
  };
}

function recordShape<T>(fields: Record<string, keyof typeof RULES>, whole?: (r: Record<string, unknown>) => string | null): RecordShape<T> {
  const names = Object.keys(fields);
  const rules: FieldRule[] = names.map((n) => RULES[fields[n]!]);
  const object = z.object(Object.fromEntries(names.map((n, i) => [n, rules[i]!.schema])));
  const schema = (whole ? object.superRefine((r, ctx) => {
    const problem = whole(r);
    if (problem) ctx.addIssue({ code: 'custom', path: ['fields'], message: problem });
  }) : object) as unknown as z.ZodType<T>;
  return withParse({
    schema,
    read(v) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) {
        const x = v[names[i]!];
        if (!rules[i]!.ok(x)) return null;
        if (x !== undefined) out[names[i]!] = x;
      }
      return whole && whole(out) !== null ? null : out as T;
    },
  });
}

// `fields` is checked by fieldsProblem alone (each of the type's fields there, an integer or a text, and no other).
export const commitRecord = recordShape<Commit>(
  { seq: 'count', prev_hash: 'hex64', time: 'time', type: 'commitType', fields: 'fields', caused_by: 'countOrNull', hash: 'hex64' },
  (c) => fieldsProblem(c.type as CommitType, c.fields as Record<string, unknown>),
);
export const sysRequestRecord = recordShape<SysRequest>(
  { kind: 'request', id: 'count', pid: 'count', time: 'time', num: 'i32', args: 'args', by: 'countOrAbsent' });
export const sysResponseRecord = recordShape<SysResponse>(
  { kind: 'response', id: 'count', request_id: 'count', time: 'time', result: 'i32' });

// Both are plain zod objects underneath (no whole-record check), which a discriminated union needs.
type KindObject = z.ZodObject<{ kind: z.ZodLiteral<string> }>;
/** A SysLog event of either kind (a saved boot's); a trace's lines say their kind, and use the two shapes above. */
export const sysLogEntryRecord = withParse<SysLogEntry>({
  schema: z.discriminatedUnion('kind', [
    sysRequestRecord.schema as unknown as KindObject, sysResponseRecord.schema as unknown as KindObject,
  ]) as unknown as z.ZodType<SysLogEntry>,
  read: (v) => (v.kind === 'request' ? sysRequestRecord.read(v) : v.kind === 'response' ? sysResponseRecord.read(v) : null),
});

/** A zod error in one line: the first issue, with its path. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}
