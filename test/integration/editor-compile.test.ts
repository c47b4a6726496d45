// What the compilers say, at the place they say it: the real asc and wabt,
// through the functions the editor's worker uses.

import asc from 'assemblyscript/asc';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { compileAssemblyScript } from '../../web/editor/compile-as.ts';
import { assembleWat } from '../../web/editor/compile-wat.ts';
import { LIBRARY } from '../../web/editor/library-sources.ts';

describe('editor compilers', () => {
  it('asc: an error in the program is placed at its line and column', async () => {
    const source = [
      'import { exit, println } from "../process-lib";',
      'export function _start(): void {',
      '  println("ok");',
      '  const n: i32 = "seven";',
      '  exit(n);',
      '}',
    ].join('\n');
    const result = await compileAssemblyScript(asc, LIBRARY, 'broken', source);
    expect(result.binary).toBeNull();
    expect(result.diagnostics).toEqual([expect.objectContaining({
      file: 'apps/broken.ts', line: 4, column: 18, endLine: 4, endColumn: 25, severity: 'error',
      message: expect.stringContaining("'~lib/string/String' is not assignable to type 'i32'"),
    })]);
    const d = result.diagnostics[0]!;
    expect(source.slice(d.from, d.to)).toBe('"seven"');
    expect(result.report).toContain('apps/broken.ts(4,18)');
  }, 60_000);

  it('asc: an unknown import from process-lib is named, at the import', async () => {
    const source = 'import { noSuchThing } from "../process-lib";\nexport function _start(): void { noSuchThing(); }\n';
    const result = await compileAssemblyScript(asc, LIBRARY, 'missing', source);
    expect(result.binary).toBeNull();
    const first = result.diagnostics.find((d) => d.severity === 'error')!;
    expect(first).toMatchObject({ file: 'apps/missing.ts', line: 1 });
    expect(first.message).toMatch(/noSuchThing/);
  }, 60_000);

  it('wabt: errors are placed at their line, the caret\'s width wide', async () => {
    const source = '(module\n  (func (export "_start")\n    (i32.bogus 1)\n    (call $nowhere)))\n';
    const result = assembleWat(await wabtInit(), 'bad', source);
    expect(result.binary).toBeNull();
    expect(result.diagnostics[0]).toMatchObject({ file: 'bad.wat', line: 3, column: 6, severity: 'error' });
    const d = result.diagnostics[0]!;
    expect(source.slice(d.from, d.to)).toBe('i32.bogus');
    expect(d.message).toMatch(/unexpected token/);
  });

  it('wabt: a type error found by validation is placed too', async () => {
    const source = '(module\n  (func (export "_start") (result i32)\n    (i64.const 1)))\n';
    const result = assembleWat(await wabtInit(), 'typed', source);
    expect(result.diagnostics[0]).toMatchObject({ line: 3, column: 6, message: expect.stringMatching(/type mismatch/) });
  });
});
