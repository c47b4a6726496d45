// The shapes of the kernel's log records as zod schemas, for every record
// that comes back from outside the running kernel: a saved boot read from
// IndexedDB, a trace file. Nothing read back is used before it passes these.

import { z } from 'zod';
import type { SysLogEntry } from '../kernel/axiom.ts';
import { COMMIT_FIELDS, fieldsProblem, type Commit, type CommitType } from '../kernel/commits.ts';

export const int = z.number().int();
export const count = int.nonnegative();
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest');
const commitTypes = Object.keys(COMMIT_FIELDS) as [CommitType, ...CommitType[]];

/** A plain object (what JSON.parse gives for {…}); its keys and values are fieldsProblem's to check. */
const fieldsObject = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object');

// `fields` is checked by fieldsProblem alone (each of the type's fields there, an integer or a text,
// and no other): a zod record of unions checked the same twice and cost more than the rest of a
// commit's schema (a trace reads 100,000 of them: bench trace_import_ms).
export const commitSchema = z.object({
  seq: count,
  prev_hash: hex64,
  time: z.number().nonnegative(),
  type: z.enum(commitTypes),
  fields: fieldsObject,
  caused_by: count.nullable(),
  hash: hex64,
}).superRefine((c, ctx) => {
  const problem = fieldsProblem(c.type, c.fields);
  if (problem) ctx.addIssue({ code: 'custom', path: ['fields'], message: problem });
}) as unknown as z.ZodType<Commit>;

const i32 = int.min(-(2 ** 31)).max(2 ** 31 - 1);

export const sysLogRequestSchema = z.object({
  kind: z.literal('request'), id: count, pid: count, time: z.number().nonnegative(), num: i32,
  args: z.tuple([i32, i32, i32]), by: count.optional(),
});
export const sysLogResponseSchema = z.object({
  kind: z.literal('response'), id: count, request_id: count, time: z.number().nonnegative(), result: i32,
});
export const sysLogEntrySchema = z.discriminatedUnion('kind', [sysLogRequestSchema, sysLogResponseSchema]);

// The schemas' outputs must be usable as the kernel's types.
const _entryCheck: (e: z.infer<typeof sysLogEntrySchema>) => SysLogEntry = (e) => e;
void _entryCheck;

/** A zod error in one line: the first issue, with its path. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}
