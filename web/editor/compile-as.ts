// Compiles one AssemblyScript program with the real compiler (asc), the way
// scripts/build-apps.mjs builds apps/: the same flags (supervisor/asc-flags.ts),
// the program at apps/<name>.ts beside process-lib/ and kernel/abi.ts, so
// `import { ... } from "../process-lib"` works as docs/apps.md says. The files
// are given, not read from a disk: in the page they come from
// library-sources.ts. Runs wherever asc does (a Web Worker, Node).

import type asc from 'assemblyscript/asc';
import { ASC_FLAGS } from '../../supervisor/asc-flags.ts';
import { position, type CompileResult, type Severity, type SourceDiagnostic } from './diagnostics.ts';

export type Asc = Pick<typeof asc, 'main' | 'createMemoryStream'>;

/** Where a program sits in the compiler's file tree. */
export const programPath = (name: string): string => `apps/${name}.ts`;

const OUTPUT = 'program.wasm';

// asc's DiagnosticCategory: 0 pedantic, 1 info, 2 warning, 3 error.
const SEVERITY: Record<number, Severity> = { 0: 'info', 1: 'info', 2: 'warning', 3: 'error' };

/**
 * Compiles `source` as program `name` against `library` (path → text:
 * `process-lib/*.ts`, `kernel/abi.ts`). The diagnostics carry positions in
 * the file they are about.
 */
export async function compileAssemblyScript(
  compiler: Asc, library: ReadonlyMap<string, string>, name: string, source: string,
): Promise<CompileResult> {
  const entry = programPath(name);
  const files = new Map(library).set(entry, source);
  const diagnostics: SourceDiagnostic[] = [];
  let binary: Uint8Array | null = null;
  const started = performance.now();
  const { error, stderr } = await compiler.main([entry, '--outFile', OUTPUT, ...ASC_FLAGS], {
    readFile: (file) => files.get(file.replace(/^\.\//, '')) ?? null,
    writeFile: (file, contents) => {
      if (file === OUTPUT && typeof contents !== 'string') binary = contents;
    },
    listFiles: () => [],
    stdout: compiler.createMemoryStream(),
    stderr: compiler.createMemoryStream(),
    reportDiagnostic: (d) => {
      const file = d.range?.source.normalizedPath ?? entry;
      const text = files.get(file) ?? '';
      const from = d.range?.start ?? 0;
      const to = Math.max(from, d.range?.end ?? from);
      const start = position(text, from);
      const end = position(text, to);
      diagnostics.push({
        file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, from, to,
        severity: SEVERITY[d.category] ?? 'error', message: `${d.message} (AS${d.code})`,
      });
    },
  });
  const report = stderr.toString().trim();
  const failed = error !== null || binary === null;
  if (failed && !diagnostics.some((d) => d.severity === 'error')) {
    // A failure the compiler did not tie to a place (an internal error): say it all the same.
    diagnostics.push({
      file: entry, line: 1, column: 1, endLine: 1, endColumn: 1, from: 0, to: 0, severity: 'error',
      message: error?.message ?? 'the compiler produced no binary',
    });
  }
  return { binary: failed ? null : binary, diagnostics, report, ms: performance.now() - started };
}
