// The shapes of what the page keeps in IndexedDB, as zod schemas. Nothing
// read back from the database is used before it passes these: a record
// edited by hand, truncated or written by another version is reported, and
// the rest of the page goes on.

import { z } from 'zod';
import { COMMIT_FIELDS, fieldsProblem, type Commit, type CommitType } from '../kernel/commits.ts';
import type { SysLogEntry } from '../kernel/axiom.ts';

const int = z.number().int();
const count = int.nonnegative();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest');
const commitTypes = Object.keys(COMMIT_FIELDS) as [CommitType, ...CommitType[]];

export const commitSchema = z.object({
  seq: count,
  prev_hash: hex64,
  time: z.number().nonnegative(),
  type: z.enum(commitTypes),
  fields: z.record(z.string(), z.union([z.number(), z.string()])),
  caused_by: count.nullable(),
  hash: hex64,
}).superRefine((c, ctx) => {
  const problem = fieldsProblem(c.type, c.fields);
  if (problem) ctx.addIssue({ code: 'custom', path: ['fields'], message: problem });
}).transform((c) => c as Commit);

const i32 = int.min(-(2 ** 31)).max(2 ** 31 - 1);

export const sysLogEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('request'), id: count, pid: count, time: z.number().nonnegative(), num: i32,
    args: z.tuple([i32, i32, i32]), by: count.optional(),
  }),
  z.object({ kind: z.literal('response'), id: count, request_id: count, time: z.number().nonnegative(), result: i32 }),
]);

/** One boot's summary, updated at every save. */
export const bootRecordSchema = z.object({
  id: int.positive(),
  startedAt: z.number(), // ms since the Unix epoch
  savedAt: z.number(),
  commits: count, // commits saved so far
  head: hex64.nullable(), // hash of the last commit saved
  stateHash: hex64.nullable(), // the live state hash when `commits` commits had been applied
  syslog: count, // SysLog events saved
  syslogDropped: count, // SysLog events not saved (over the per-save or per-boot budget)
});

/** The envelope of a chunk of records; its items are checked one by one. */
export const chunkSchema = z.object({
  boot: int.positive(),
  first: count,
  items: z.array(z.unknown()),
});

export type BootRecord = z.infer<typeof bootRecordSchema>;
export interface CommitChunk { boot: number; first: number; items: Commit[] }
export interface SysLogChunk { boot: number; first: number; items: SysLogEntry[] }

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
