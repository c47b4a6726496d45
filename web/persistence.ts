// Each boot's CommitLog and SysLog, kept in IndexedDB (through idb).
//
// Database `zos` (version 1), three object stores:
//   boots    keyPath `id` (auto-increment): one BootRecord per boot (records.ts)
//   commits  keyPath [boot, first]: chunks {boot, first, items: Commit[]}, first = seq of items[0]
//   syslog   keyPath [boot, first]: chunks {boot, first, items: SysLogEntry[]}, first = id of items[0]
// Both chunk stores have an index `boot`. A BootRecorder saves what is new
// every 500 ms in one transaction: never per syscall. The CommitLog is kept
// whole (replay needs all of it), though the kernel keeps only a tail of it in
// memory: commits it drops are handed here first (`spill`) and held until
// they are saved, up to MAX_UNSAVED_COMMITS (past that, with saving failing,
// the oldest are dropped and counted; the saved boot then verifies up to the
// gap). The SysLog is kept up to a budget per save and per boot, and what is
// over the budget is counted, not silently lost.
// Reading back validates every record (records.ts) and reports what fails.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { KernelView } from '../kernel/view.ts';
import type { Commit } from '../kernel/commits.ts';
import type { SysLogEntry } from '../kernel/axiom.ts';
import {
  bootRecordSchema, chunkSchema, commitRecord, describeIssue, sysLogEntryRecord,
  type BootRecord, type CommitChunk, type SysLogChunk,
} from './records.ts';

export const DB_NAME = 'zos';
export const DB_VERSION = 1;
export const SAVE_INTERVAL_MS = 500;
export const COMMITS_PER_CHUNK = 2000;
export const SYSLOG_PER_CHUNK = 5000;
export const SYSLOG_PER_SAVE = 20_000;
export const SYSLOG_PER_BOOT = 200_000;
/** Commits dropped from memory and not saved yet that a recorder holds at most (about 25 MB). */
export const MAX_UNSAVED_COMMITS = 100_000;
/** Previous boots kept; older ones are deleted when a new boot starts. */
export const BOOTS_KEPT = 10;

export interface ZosDB extends DBSchema {
  boots: { key: number; value: unknown };
  commits: { key: [number, number]; value: unknown; indexes: { boot: number } };
  syslog: { key: [number, number]; value: unknown; indexes: { boot: number } };
}

export type ZosDatabase = IDBPDatabase<ZosDB>;

export function openZosDB(): Promise<ZosDatabase> {
  return openDB<ZosDB>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('boots', { keyPath: 'id', autoIncrement: true });
      db.createObjectStore('commits', { keyPath: ['boot', 'first'] }).createIndex('boot', 'boot');
      db.createObjectStore('syslog', { keyPath: ['boot', 'first'] }).createIndex('boot', 'boot');
    },
  });
}

// ---------------------------------------------------------------------------
// Writing

export interface SaveStatus {
  state: 'idle' | 'saving' | 'saved' | 'error';
  savedAt: number | null;
  commits: number;
  syslog: number;
  syslogDropped: number;
  error: string | null;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Saves one boot's logs as they grow. */
export class BootRecorder {
  private savedCommits = 0;
  /** Commits the kernel dropped from memory (spill) with seq ≥ savedCommits: saved at the next write. */
  private spilled: Commit[] = [];
  /** Spilled commits given up because saving could not keep up: the saved chain has a gap. */
  unsavedDropped = 0;
  private syslogSeen = 0; // SysLog events ever considered (saved or dropped)
  private record: BootRecord;
  private flushing: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  readonly status: SaveStatus = { state: 'idle', savedAt: null, commits: 0, syslog: 0, syslogDropped: 0, error: null };

  private constructor(private readonly db: ZosDatabase, private readonly view: KernelView, record: BootRecord) {
    this.record = record;
  }

  get bootId(): number {
    return this.record.id;
  }

  /** Creates this boot's record. */
  static async start(db: ZosDatabase, view: KernelView): Promise<BootRecorder> {
    const now = Date.now();
    const draft = { startedAt: now, savedAt: now, commits: 0, head: null, stateHash: null, syslog: 0, syslogDropped: 0 };
    const id = await db.add('boots', draft) as number;
    const recorder = new BootRecorder(db, view, { id, ...draft });
    return recorder;
  }

  /**
   * Takes commits the kernel is about to drop from memory (its onTrim),
   * oldest first, and holds them until they are saved.
   */
  spill(dropped: readonly Commit[]): void {
    for (const c of dropped) if (c.seq >= this.savedCommits) this.spilled.push(c);
    const over = this.spilled.length - MAX_UNSAVED_COMMITS;
    if (over > 0) {
      this.spilled.splice(0, over);
      this.unsavedDropped += over;
    }
  }

  /**
   * This boot's commits with seq below `before` (those the kernel has dropped
   * from memory), saved first and read back; throws where the saved chain has
   * a gap, since a trace must hold every commit from Genesis.
   */
  async commitsBefore(before: number): Promise<Commit[]> {
    await this.flush();
    if (this.unsavedDropped > 0) throw new Error(`${this.unsavedDropped} commits could not be saved in time, so this boot's log has a gap`);
    const { commits, problems } = await loadBoot(this.db, this.record.id, this.record);
    const out = commits.filter((c) => c.seq < before);
    if (out.length !== before || problems.length > 0) {
      throw new Error(`this boot's saved commits 0–${before - 1} are not all there (${problems[0] ?? `${out.length} found`})`);
    }
    return out;
  }

  /** Saves every SAVE_INTERVAL_MS, and when the page is hidden or left. */
  startTimer(): void {
    // Only when there is something new: an idle desktop makes no save (docs/performance.md, page idle).
    this.timer = setInterval(() => { if (this.hasNew()) void this.flush(); }, SAVE_INTERVAL_MS);
    const now = (): void => void this.flush();
    addEventListener('pagehide', now);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') now(); });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Whether the logs have grown since the last save (or one failed and must be tried again). */
  private hasNew(): boolean {
    const { kept, trimmed } = this.view.syslogStats();
    return this.view.commitCount() !== this.savedCommits || kept + trimmed !== this.syslogSeen || this.status.state === 'error';
  }

  /** Saves what is new now; resolves when it is in the database. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.write().finally(() => {
      this.flushing = null;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const k = this.view;
    const n = k.commitCount();
    // Those dropped from memory since the last save, then the kept ones not saved yet.
    const spilled = this.spilled.filter((c) => c.seq >= this.savedCommits);
    const fromMemory = Math.max(this.savedCommits, k.firstCommit(), spilled.length ? spilled.at(-1)!.seq + 1 : 0);
    const newCommits = [...spilled, ...k.commits(fromMemory, n)];
    const { kept, trimmed } = k.syslogStats();
    const total = trimmed + kept;
    const fresh = total - this.syslogSeen;
    const room = Math.max(0, SYSLOG_PER_BOOT - this.record.syslog);
    const take = Math.min(fresh, kept, SYSLOG_PER_SAVE, room);
    const entries: SysLogEntry[] = take > 0 ? k.syslog(take) : [];
    const dropped = fresh - take;
    this.syslogSeen = total;
    if (newCommits.length === 0 && entries.length === 0 && dropped === 0) return;
    const record: BootRecord = {
      ...this.record,
      savedAt: Date.now(),
      commits: n,
      head: newCommits.length > 0 ? newCommits[newCommits.length - 1]!.hash : this.record.head,
      stateHash: newCommits.length > 0 || this.record.stateHash === null ? k.stateHash() : this.record.stateHash,
      syslog: this.record.syslog + entries.length,
      syslogDropped: this.record.syslogDropped + dropped,
    };
    this.status.state = 'saving';
    try {
      const tx = this.db.transaction(['boots', 'commits', 'syslog'], 'readwrite');
      const puts: Promise<unknown>[] = [];
      for (const items of chunks(newCommits, COMMITS_PER_CHUNK)) {
        const chunk: CommitChunk = { boot: record.id, first: items[0]!.seq, items };
        puts.push(tx.objectStore('commits').put(chunk));
      }
      for (const items of chunks(entries, SYSLOG_PER_CHUNK)) {
        const chunk: SysLogChunk = { boot: record.id, first: items[0]!.id, items };
        puts.push(tx.objectStore('syslog').put(chunk));
      }
      puts.push(tx.objectStore('boots').put(record));
      await Promise.all([...puts, tx.done]);
      this.record = record;
      this.savedCommits = n;
      this.spilled = this.spilled.filter((c) => c.seq >= n); // spilled while this save ran: the next one takes them
      Object.assign(this.status, {
        state: 'saved', savedAt: record.savedAt, commits: n, syslog: record.syslog,
        syslogDropped: record.syslogDropped, error: null,
      });
    } catch (e) {
      // The commits are tried again at the next save; these SysLog events are lost.
      this.record = { ...this.record, syslogDropped: this.record.syslogDropped + entries.length + dropped };
      this.status.state = 'error';
      this.status.error = (e as Error).message || String(e);
    }
  }
}

// ---------------------------------------------------------------------------
// Reading

export interface LoadedBoot {
  id: number;
  record: BootRecord | null;
  commits: Commit[];
  syslog: SysLogEntry[];
  problems: string[]; // corrupt records, as sentences
}

/** Every boot record, validated; a corrupt one comes back with `record: null` and a problem. */
export async function listBoots(db: ZosDatabase): Promise<{ id: number; record: BootRecord | null; problem: string | null }[]> {
  const tx = db.transaction('boots');
  const keys = await tx.store.getAllKeys();
  const values = await tx.store.getAll();
  await tx.done;
  return keys.map((key, i) => {
    const parsed = bootRecordSchema.safeParse(values[i]);
    if (parsed.success && parsed.data.id === key) return { id: key, record: parsed.data, problem: null };
    const why = parsed.success ? `its id ${parsed.data.id} is not its key` : describeIssue(parsed.error);
    return { id: Number(key), record: null, problem: `boot record ${String(key)} is corrupt (${why})` };
  });
}

/** Reads one boot's chunks, validating every record. Items are sorted; bad ones reported and left out. */
export async function loadBoot(db: ZosDatabase, id: number, record: BootRecord | null): Promise<LoadedBoot> {
  const problems: string[] = [];
  const commits = await readChunks(db, 'commits', id, (item, where) => {
    const r = commitRecord.parse(item);
    if (r.success) return r.data;
    problems.push(`commit record ${where} is corrupt (${describeIssue(r.error)})`);
    return null;
  }, problems);
  const syslog = await readChunks(db, 'syslog', id, (item, where) => {
    const r = sysLogEntryRecord.parse(item);
    if (r.success) return r.data;
    problems.push(`SysLog record ${where} is corrupt (${describeIssue(r.error)})`);
    return null;
  }, problems);
  commits.sort((a, b) => a.seq - b.seq);
  syslog.sort((a, b) => a.id - b.id);
  return { id, record, commits, syslog, problems };
}

async function readChunks<T>(db: ZosDatabase, store: 'commits' | 'syslog', boot: number,
  check: (item: unknown, where: string) => T | null, problems: string[]): Promise<T[]> {
  const raw = await db.getAllFromIndex(store, 'boot', boot);
  const out: T[] = [];
  const name = store === 'commits' ? 'commit' : 'SysLog';
  for (const value of raw) {
    const chunk = chunkSchema.safeParse(value);
    if (!chunk.success) {
      problems.push(`a ${name} chunk of boot ${boot} is corrupt (${describeIssue(chunk.error)})`);
      continue;
    }
    const { first, items } = chunk.data;
    items.forEach((item, i) => {
      const ok = check(item, `${first + i} (chunk ${first}, item ${i})`);
      if (ok !== null) out.push(ok);
    });
  }
  return out;
}

/** Deletes a boot and its chunks. */
export async function deleteBoot(db: ZosDatabase, id: number): Promise<void> {
  const tx = db.transaction(['boots', 'commits', 'syslog'], 'readwrite');
  const range = IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
  await Promise.all([
    tx.objectStore('boots').delete(id),
    tx.objectStore('commits').delete(range),
    tx.objectStore('syslog').delete(range),
    tx.done,
  ]);
}

/** Keeps the newest `keep` boots (by id), deletes the rest. */
export async function pruneBoots(db: ZosDatabase, keep = BOOTS_KEPT): Promise<number[]> {
  const keys = (await db.getAllKeys('boots')).sort((a, b) => a - b);
  const doomed = keys.slice(0, Math.max(0, keys.length - keep));
  for (const id of doomed) await deleteBoot(db, id);
  return doomed;
}
