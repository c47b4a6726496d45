// The editor's programs, kept in IndexedDB (through idb) in a database of
// their own, `zos-programs`, so the boots' database (persistence.ts) is
// never touched by the editor: one store, `programs`, keyed by name, each
// record {name, language, source, savedAt}. Records are checked when read
// (program.ts); a bad one is reported and left out, the others load.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { describeIssue } from '../records.ts';
import { programSchema, type Program } from './program.ts';

export const PROGRAMS_DB = 'zos-programs';
export const PROGRAMS_DB_VERSION = 1;

export interface StoredProgram extends Program {
  /** ms since the epoch, of the last save. */
  savedAt: number;
}

const storedSchema = programSchema.extend({ savedAt: z.number() });

interface ProgramsDB extends DBSchema {
  programs: { key: string; value: StoredProgram };
}

export class ProgramStore {
  private constructor(private readonly db: IDBPDatabase<ProgramsDB>) {}

  static async open(): Promise<ProgramStore> {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this browser');
    const db = await openDB<ProgramsDB>(PROGRAMS_DB, PROGRAMS_DB_VERSION, {
      upgrade(database) {
        database.createObjectStore('programs', { keyPath: 'name' });
      },
    });
    return new ProgramStore(db);
  }

  /** Every saved program, newest first, and what was wrong with any that could not be read. */
  async list(): Promise<{ programs: StoredProgram[]; problems: string[] }> {
    const programs: StoredProgram[] = [];
    const problems: string[] = [];
    for (const record of await this.db.getAll('programs') as unknown[]) {
      const parsed = storedSchema.safeParse(record);
      if (parsed.success) programs.push(parsed.data);
      else problems.push(`a saved program could not be read (${describeIssue(parsed.error)}); it was left out`);
    }
    programs.sort((a, b) => b.savedAt - a.savedAt);
    return { programs, problems };
  }

  async save(program: Program): Promise<StoredProgram> {
    const record: StoredProgram = { name: program.name, language: program.language, source: program.source, savedAt: Date.now() };
    await this.db.put('programs', record);
    return record;
  }

  /** Saves `program` under its name and drops `from`, in one transaction. */
  async rename(from: string, program: Program): Promise<void> {
    const tx = this.db.transaction('programs', 'readwrite');
    await Promise.all([
      tx.store.delete(from),
      tx.store.put({ name: program.name, language: program.language, source: program.source, savedAt: Date.now() }),
      tx.done,
    ]);
  }

  async remove(name: string): Promise<void> {
    await this.db.delete('programs', name);
  }
}
