// The page's side of the compiler worker (compile-worker.ts): started when
// the editor opens; compiles run one at a time. A worker that dies or hangs is
// replaced at the next compile; the program being compiled is never lost.

import { wrap, type Remote } from 'comlink';
import type { CompilerApi } from './compile-worker.ts';
import type { CompileResult } from './diagnostics.ts';
import type { Language } from './templates.ts';

/**
 * A compile that takes longer than this is given up, and the worker with it.
 * It includes loading the compiler (13 MB) the first time, which on a slow
 * link or a busy machine takes a while: this is for a compiler that hangs.
 */
const COMPILE_TIMEOUT_MS = 180_000;

export class Compiler {
  private worker: Worker | null = null;
  private remote: Remote<CompilerApi> | null = null;
  private died: Promise<never> | null = null;
  private queue: Promise<void> = Promise.resolve();

  /** Starts the worker and loads the compiler for `language`, ahead of the first compile. */
  warm(language: Language): Promise<void> {
    return this.call((api) => api.warm(language)).catch(() => {}); // a failed warm-up is reported by the compile
  }

  /** Compiles run in turn: asc keeps state between its awaits, so two must not interleave in one worker. */
  compile(language: Language, name: string, source: string): Promise<CompileResult> {
    const result = this.queue.then(() => this.call((api) => api.compile(language, name, source)));
    this.queue = result.then(() => {}, () => {});
    return result;
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }

  private async call<T>(work: (api: Remote<CompilerApi>) => Promise<T>): Promise<T> {
    const api = this.start();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the compiler did not finish in ${COMPILE_TIMEOUT_MS / 1000} s; it was stopped`)), COMPILE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([work(api), this.died!, timeout]);
    } catch (e) {
      this.dispose(); // the next call starts a fresh worker
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private start(): Remote<CompilerApi> {
    if (this.remote) return this.remote;
    const worker = new Worker(new URL('./compile-worker.ts', import.meta.url), { type: 'module', name: 'zos compiler' });
    this.died = new Promise<never>((_, reject) => worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`the compiler's worker failed: ${e.message || 'it could not start'}`));
    }));
    this.died.catch(() => {});
    this.worker = worker;
    this.remote = wrap<CompilerApi>(worker);
    return this.remote;
  }
}
