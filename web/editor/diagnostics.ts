// What a compiler said about a program, in a form both compilers share
// (compile-as.ts, compile-wat.ts) and the editor shows at its line.

export type Severity = 'error' | 'warning' | 'info';

export interface SourceDiagnostic {
  /** The file it is about: the program's own (`apps/<name>.ts`, `<name>.wat`) or a library file. */
  file: string;
  /** 1-based line and column of the start, and of the end. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Offsets in that file's text: [from, to). */
  from: number;
  to: number;
  severity: Severity;
  message: string;
}

export interface CompileResult {
  /** The binary, or null when the program did not compile. */
  binary: Uint8Array | null;
  diagnostics: SourceDiagnostic[];
  /** The compiler's own report, as it would print it (with the source lines marked). */
  report: string;
  /** How long the compiler took, in ms. */
  ms: number;
}

/** 1-based line and column of `offset` in `text`. */
export function position(text: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/** The offset of 1-based `line` and `column` in `text` (clamped to the text). */
export function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', at);
    if (next === -1) return text.length;
    at = next + 1;
  }
  const lineEnd = text.indexOf('\n', at);
  return Math.min(at + Math.max(0, column - 1), lineEnd === -1 ? text.length : lineEnd);
}

/** A diagnostic as one line: `apps/x.ts:3:5: error: ...`. */
export function diagnosticLine(d: SourceDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}
