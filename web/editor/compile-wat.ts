// Assembles one WAT program with wabt (its JS build), as the test fixtures
// are built (test/fixtures/wat.ts). wabt reports errors as text,
// `name.wat:LINE:COL: error: MESSAGE` followed by the line and a caret mark;
// they are read back into diagnostics at their place.

import type wabtInit from 'wabt';
import { offsetOf, type CompileResult, type SourceDiagnostic } from './diagnostics.ts';

export type Wabt = Awaited<ReturnType<typeof wabtInit>>;

/** The post-MVP features a WAT program may use: what the engines zos runs on have. */
const FEATURES = { threads: true, bulk_memory: true, sign_extension: true, mutable_globals: true, sat_float_to_int: true, multi_value: true };

const ERROR_LINE = /^(.*?):(\d+):(\d+): (error|warning): (.*)$/;

export const watPath = (name: string): string => `${name}.wat`;

export function assembleWat(wabt: Wabt, name: string, source: string): CompileResult {
  const file = watPath(name);
  const started = performance.now();
  let module: ReturnType<Wabt['parseWat']> | null = null;
  try {
    module = wabt.parseWat(file, source, FEATURES);
    module.resolveNames();
    module.validate();
    const binary = new Uint8Array(module.toBinary({}).buffer);
    return { binary, diagnostics: [], report: '', ms: performance.now() - started };
  } catch (e) {
    const report = (e as Error).message;
    return { binary: null, diagnostics: readErrors(file, source, report), report, ms: performance.now() - started };
  } finally {
    module?.destroy();
  }
}

/** wabt's error text → diagnostics; the caret line under each gives the length. */
function readErrors(file: string, source: string, report: string): SourceDiagnostic[] {
  const lines = report.split('\n');
  const out: SourceDiagnostic[] = [];
  lines.forEach((text, i) => {
    const m = ERROR_LINE.exec(text);
    if (!m) return;
    const line = Number(m[2]);
    const column = Number(m[3]);
    const caret = /\^+/.exec(lines[i + 2] ?? '');
    const length = caret ? caret[0].length : 1;
    const from = offsetOf(source, line, column);
    const to = Math.min(offsetOf(source, line, column + length), source.length);
    out.push({
      file, line, column, endLine: line, endColumn: column + length, from, to,
      severity: m[4] === 'warning' ? 'warning' : 'error', message: m[5]!,
    });
  });
  if (out.length === 0) {
    out.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, from: 0, to: 0, severity: 'error', message: report.trim() || 'wabt could not assemble it' });
  }
  return out;
}
