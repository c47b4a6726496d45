// Previous boots: listed from IndexedDB and verified after each page load,
// in a worker (verify-worker.ts) so a long chain never stalls the desktop;
// on the page itself if the worker cannot start.

import { wrap, type Remote } from 'comlink';
import { verifyBoot, type BootReport } from './boot-verify.ts';
import { deleteBoot, listBoots, loadBoot, openZosDB } from './persistence.ts';

export interface VerifyApi {
  /** Reports on every saved boot except `skip` (the running one), newest first. */
  verifyBoots(skip: number | null): Promise<BootReport[]>;
}

export async function verifySavedBoots(skip: number | null): Promise<BootReport[]> {
  const db = await openZosDB();
  try {
    const boots = (await listBoots(db)).filter((b) => b.id !== skip).sort((a, b) => b.id - a.id);
    const out: BootReport[] = [];
    for (const b of boots) {
      const report = verifyBoot(await loadBoot(db, b.id, b.record));
      if (b.problem) report.problems.unshift(b.problem);
      out.push(report);
    }
    return out;
  } finally {
    db.close();
  }
}

export class BootHistory {
  reports: BootReport[] | null = null;
  error: string | null = null;
  running: Promise<BootReport[]> | null = null;
  /** Bumped at every change, so the panel knows when to redraw. */
  version = 0;
  private worker: Remote<VerifyApi> | null = null;
  private workerFailed: Promise<never> | null = null;

  constructor(private readonly currentBoot: () => number | null) {}

  /** Verifies every previous boot again; resolves with the reports. */
  refresh(): Promise<BootReport[]> {
    if (this.running) return this.running;
    this.version++;
    this.running = this.verify().then((reports) => {
      this.reports = reports;
      this.error = null;
      return reports;
    }, (e: unknown) => {
      this.error = e instanceof Error ? e.message : String(e);
      this.reports = this.reports ?? [];
      return this.reports;
    }).finally(() => {
      this.running = null;
      this.version++;
    });
    return this.running;
  }

  async remove(id: number): Promise<void> {
    const db = await openZosDB();
    try {
      await deleteBoot(db, id);
    } finally {
      db.close();
    }
    this.reports = this.reports?.filter((r) => r.id !== id) ?? null;
    this.version++;
  }

  private async verify(): Promise<BootReport[]> {
    const skip = this.currentBoot();
    try {
      if (!this.worker) {
        const raw = new Worker(new URL('./verify-worker.ts', import.meta.url), { type: 'module', name: 'zos verify' });
        this.workerFailed = new Promise<never>((_, reject) => raw.addEventListener('error', (e) => {
          e.preventDefault();
          reject(new Error(e.message || 'the verification worker failed to start'));
        }, { once: true }));
        this.workerFailed.catch(() => {});
        this.worker = wrap<VerifyApi>(raw);
      }
      return await withTimeout(Promise.race([this.worker.verifyBoots(skip), this.workerFailed!]), 60_000);
    } catch (e) {
      console.warn('zos: verifying in a worker failed, verifying on the page', e);
      this.worker = null;
      return verifySavedBoots(skip);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
