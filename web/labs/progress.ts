// Lab progress, kept in IndexedDB (through idb) in a database of its own,
// `zos-labs`, so the boots' database and its version are left alone:
//   progress  keyPath `id`: one record per lab the student has started
//   meta      keyPath `key`: { key: 'current', lab } the lab in progress
// Every record read back is checked with zod; a bad one is reported and
// treated as absent. When IndexedDB refuses (private mode, blocked, quota),
// progress is kept in memory for this page and the panel says so.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';

export const LABS_DB_NAME = 'zos-labs';
export const LABS_DB_VERSION = 1;
/** How long to wait for the database before going on without it. */
const OPEN_TIMEOUT_MS = 3000;

const progressSchema = z.object({
  id: z.string().min(1),
  state: z.enum(['started', 'done']),
  startedAt: z.number().nonnegative(),
  doneAt: z.number().nonnegative().nullable(),
}).strict();

export type LabProgress = z.infer<typeof progressSchema>;

const currentSchema = z.object({ key: z.literal('current'), lab: z.string().min(1).nullable() }).strict();

interface LabsDB extends DBSchema {
  progress: { key: string; value: unknown };
  meta: { key: string; value: unknown };
}

export class ProgressStore {
  private readonly records = new Map<string, LabProgress>();
  private current: string | null = null;
  /** Why progress is not saved, or null when it is. */
  problem: string | null = null;
  /** Records found corrupt when read, as sentences. */
  readonly corrupt: string[] = [];

  private constructor(private readonly db: IDBPDatabase<LabsDB> | null) {}

  /** Opens the database and reads everything; never rejects. */
  static async open(): Promise<ProgressStore> {
    let db: IDBPDatabase<LabsDB> | null = null;
    let problem: string | null = null;
    try {
      if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this browser');
      db = await withTimeout(openDB<LabsDB>(LABS_DB_NAME, LABS_DB_VERSION, {
        upgrade(d) {
          d.createObjectStore('progress', { keyPath: 'id' });
          d.createObjectStore('meta', { keyPath: 'key' });
        },
      }), OPEN_TIMEOUT_MS, 'IndexedDB did not open (blocked by another tab?)');
    } catch (e) {
      problem = `progress is not saved: ${(e as Error).message || String(e)}`;
    }
    const store = new ProgressStore(db);
    store.problem = problem;
    if (db) await store.readAll(db);
    return store;
  }

  get(id: string): LabProgress | undefined {
    return this.records.get(id);
  }

  get currentLab(): string | null {
    return this.current;
  }

  /** A lab was started (or started again): it becomes the current one. */
  async start(id: string): Promise<void> {
    const old = this.records.get(id);
    const record: LabProgress = { id, state: old?.state === 'done' ? 'done' : 'started', startedAt: Date.now(), doneAt: old?.doneAt ?? null };
    this.records.set(id, record);
    this.current = id;
    await this.write(async (db) => {
      const tx = db.transaction(['progress', 'meta'], 'readwrite');
      await Promise.all([tx.objectStore('progress').put(record), tx.objectStore('meta').put({ key: 'current', lab: id }), tx.done]);
    });
  }

  async finish(id: string): Promise<void> {
    const old = this.records.get(id);
    if (old?.state === 'done') return;
    const record: LabProgress = { id, state: 'done', startedAt: old?.startedAt ?? Date.now(), doneAt: Date.now() };
    this.records.set(id, record);
    await this.write((db) => db.put('progress', record).then(() => {}));
  }

  /** No lab in progress (the student left it). */
  async leave(): Promise<void> {
    this.current = null;
    await this.write((db) => db.put('meta', { key: 'current', lab: null }).then(() => {}));
  }

  /** Forgets all progress. */
  async reset(): Promise<void> {
    this.records.clear();
    this.current = null;
    await this.write(async (db) => {
      const tx = db.transaction(['progress', 'meta'], 'readwrite');
      await Promise.all([tx.objectStore('progress').clear(), tx.objectStore('meta').clear(), tx.done]);
    });
  }

  private async readAll(db: IDBPDatabase<LabsDB>): Promise<void> {
    try {
      const tx = db.transaction(['progress', 'meta']);
      const [rows, current] = await Promise.all([tx.objectStore('progress').getAll(), tx.objectStore('meta').get('current'), tx.done]);
      for (const row of rows) {
        const r = progressSchema.safeParse(row);
        if (r.success) this.records.set(r.data.id, r.data);
        else this.corrupt.push(`a progress record is corrupt (${r.error.issues[0]?.path.join('.') || 'record'}: ${r.error.issues[0]?.message})`);
      }
      if (current !== undefined) {
        const c = currentSchema.safeParse(current);
        if (c.success) this.current = c.data.lab;
        else this.corrupt.push('the record of the current lab is corrupt');
      }
    } catch (e) {
      this.problem = `progress could not be read: ${(e as Error).message || String(e)}`;
    }
  }

  /** Writes through, or notes why it could not: the page goes on either way. */
  private async write(op: (db: IDBPDatabase<LabsDB>) => Promise<void>): Promise<void> {
    if (!this.db) return;
    try {
      await op(this.db);
    } catch (e) {
      this.problem = `progress is not saved: ${(e as Error).message || String(e)}`;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(why)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
