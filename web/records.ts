// The shapes of what the page keeps in IndexedDB, as zod schemas. Nothing
// read back from the database is used before it passes these: a record
// edited by hand, truncated or written by another version is reported, and
// the rest of the page goes on.

import { z } from 'zod';
import type { SysLogEntry } from '../kernel/axiom.ts';
import type { Commit } from '../kernel/commits.ts';
import { count, hex64, int } from '../record/log-schemas.ts';

export { commitRecord, describeIssue, sysLogEntryRecord } from '../record/log-schemas.ts';

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
