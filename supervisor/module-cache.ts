// Compiled modules by content, so spawning the same binary again skips compilation.
//
// The key is the hash of the original bytes plus the effective maximum memory
// pages: validateModule's memory rewrite depends on the limit, and for one
// binary the effective maximum fixes the rewritten bytes exactly. A
// WebAssembly.Module is immutable and can be posted to any worker, so one
// serves every spawn. Entries are promises, so concurrent spawns of the same
// binary share a single compilation.

import type { ValidatedModule } from './validate.ts';

export interface ModuleCacheStats {
  hits: number;
  misses: number;
  size: number;
}

export class ModuleCache {
  readonly capacity: number;
  /** Map iteration order is insertion order: the first key is the least recently used. */
  readonly #entries = new Map<string, Promise<WebAssembly.Module>>();
  #hits = 0;
  #misses = 0;

  constructor(capacity = 64) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
    this.capacity = capacity;
  }

  getOrCompile(validated: ValidatedModule): Promise<WebAssembly.Module> {
    const key = `${validated.hash}:${validated.memory.maxPages}`;
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }
    this.#misses++;
    const compiled = WebAssembly.compile(validated.bytes);
    this.#entries.set(key, compiled);
    // A failed compilation is not kept: the next spawn tries again and gets its own error.
    compiled.catch(() => {
      if (this.#entries.get(key) === compiled) this.#entries.delete(key);
    });
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return compiled;
  }

  get stats(): ModuleCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size };
  }

  clear(): void {
    this.#entries.clear();
    this.#hits = 0;
    this.#misses = 0;
  }
}

/** The supervisor's shared cache. */
export const moduleCache = new ModuleCache();

export const getOrCompile = (validated: ValidatedModule): Promise<WebAssembly.Module> =>
  moduleCache.getOrCompile(validated);
