/// <reference lib="webworker" />
// The compiler's worker: AssemblyScript's asc (with binaryen) and wabt run
// here, off the page's main thread, each loaded the first time it is needed.
// compiler.ts starts it when the editor opens.

import { expose, transfer } from 'comlink';
import { compileAssemblyScript, type Asc } from './compile-as.ts';
import { assembleWat, type Wabt } from './compile-wat.ts';
import type { CompileResult } from './diagnostics.ts';
import type { Language } from './templates.ts';

export interface CompilerApi {
  /** Loads the compiler for `language` now, so the first compile does not wait for it. */
  warm(language: Language): Promise<void>;
  compile(language: Language, name: string, source: string): Promise<CompileResult>;
}

let asc: Promise<{ compiler: Asc; library: ReadonlyMap<string, string> }> | undefined;
let wabt: Promise<Wabt> | undefined;

/** A load that failed is tried again next time. */
function retryable<T>(load: () => Promise<T>, forget: () => void): Promise<T> {
  const loading = load();
  loading.catch(forget);
  return loading;
}

const loadAsc = () => (asc ??= retryable(async () => {
  const [{ default: compiler }, { LIBRARY }] = await Promise.all([import('assemblyscript/asc'), import('./library-sources.ts')]);
  return { compiler, library: LIBRARY };
}, () => { asc = undefined; }));

const loadWabt = () => (wabt ??= retryable(async () => (await import('wabt')).default(), () => { wabt = undefined; }));

const api: CompilerApi = {
  async warm(language) {
    if (language === 'wat') await loadWabt();
    else await loadAsc();
  },
  async compile(language, name, source) {
    const result = language === 'wat'
      ? assembleWat(await loadWabt(), name, source)
      : await (async () => {
        const { compiler, library } = await loadAsc();
        return compileAssemblyScript(compiler, library, name, source);
      })();
    return result.binary ? transfer(result, [result.binary.buffer]) : result;
  },
};

expose(api);
