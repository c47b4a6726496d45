// The production build's chunk split: booting the desktop loads the entry
// chunk and its static imports only, and none of them holds the editor,
// CodeMirror or a compiler; the editor is a dynamic import, and the compilers
// are in its worker's own chunks. (The dev server's boot requests are
// checked in test/browser/desktop-editor.spec.ts.)

import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EDITOR_ONLY = /node_modules\/(codemirror|@codemirror|@lezer|assemblyscript|binaryen|wabt)\/|web\/editor\/(editor-pane|compiler|compile-)/;

type Output = Rolldown.RolldownOutput['output'][number];

describe('production build', () => {
  it('boots without the editor and its compilers, and loads them on demand', async () => {
    const result = await build({ root: ROOT, configFile: `${ROOT}vite.config.ts`, logLevel: 'silent', build: { write: false } });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const files = outputs.flatMap((o) => o.output);
    const chunks = new Map(files.filter((f): f is Extract<Output, { type: 'chunk' }> => f.type === 'chunk').map((c) => [c.fileName, c]));
    const entry = [...chunks.values()].find((c) => c.isEntry && c.facadeModuleId?.endsWith('index.html'))!;
    expect(entry, 'the desktop entry chunk').toBeDefined();

    // Everything boot loads: the entry and its static imports, transitively.
    const atBoot = new Set<string>();
    const visit = (name: string): void => {
      if (atBoot.has(name)) return;
      atBoot.add(name);
      chunks.get(name)?.imports.forEach(visit);
    };
    visit(entry.fileName);
    const bootModules = [...atBoot].flatMap((name) => chunks.get(name)?.moduleIds ?? []);
    expect(bootModules.filter((id) => EDITOR_ONLY.test(id))).toEqual([]);
    expect(bootModules.some((id) => id.endsWith('web/editor-panel.ts')), 'the editor panel placeholder is there').toBe(true);

    // The editor is one dynamic import away, with CodeMirror in it.
    const lazy = entry.dynamicImports.concat([...atBoot].flatMap((n) => chunks.get(n)?.dynamicImports ?? []));
    const editorChunk = lazy.map((n) => chunks.get(n)).find((c) => c?.moduleIds.some((id) => id.endsWith('web/editor/editor-pane.ts')));
    expect(editorChunk, 'a chunk imported on demand holds the editor').toBeDefined();
    const editorModules = [editorChunk!.fileName, ...editorChunk!.imports].flatMap((n) => chunks.get(n)?.moduleIds ?? []);
    expect(editorModules.some((id) => id.includes('node_modules/@codemirror/view/'))).toBe(true);

    // The compilers are the worker's, emitted as files of their own.
    const names = files.map((f) => f.fileName);
    expect(names.some((n) => /assets\/compile-worker-[\w-]+\.js$/.test(n))).toBe(true);
    expect(names.some((n) => /assets\/asc-[\w-]+\.js$/.test(n))).toBe(true);
  }, 120_000);
});
