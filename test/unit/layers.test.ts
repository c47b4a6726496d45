// The layers, enforced: imports point one way, web → supervisor → kernel,
// cli → supervisor (and bench), web and cli → console (which imports nothing
// of the project), apps → process-lib → the kernel's ABI numbers, and
// web → labs (the labs' checks read what the desktop reads). The
// desktop reads the kernel only through its read-only view (it may import
// the kernel's ABI, names, view types, commit types and the pure replay
// and verify functions, never the Kernel itself or its internals), and acts
// only through the supervisor. Imports are read with TypeScript's own
// pre-processor, so `import type`, `export … from` and `import()` count.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What each top-level folder may import from the project (npm packages are not limited here). */
const MAY_IMPORT: Record<string, (target: string) => boolean> = {
  kernel: (t) => t.startsWith('kernel/'),
  supervisor: (t) => t.startsWith('supervisor/') || t.startsWith('kernel/'),
  console: (t) => t.startsWith('console/'),
  web: (t) => t.startsWith('web/') || t.startsWith('supervisor/') || t.startsWith('record/') || t.startsWith('console/') || t.startsWith('labs/') || WEB_KERNEL_MODULES.has(t),
  labs: (t) => t.startsWith('labs/') || WEB_KERNEL_MODULES.has(t),
  record: (t) => t.startsWith('record/') || t.startsWith('supervisor/') || t.startsWith('kernel/'),
  cli: (t) => ['cli/', 'record/', 'supervisor/', 'kernel/', 'bench/', 'console/'].some((p) => t.startsWith(p)),
  // The benchmarks also measure the desktop's own parts (the timeline, the graph panel) and the traces of record/.
  bench: (t) => ['bench/', 'supervisor/', 'kernel/', 'scripts/', 'web/', 'record/'].some((p) => t.startsWith(p)),
  'process-lib': (t) => t.startsWith('process-lib/') || t === 'kernel/abi.ts',
  apps: (t) => t.startsWith('apps/') || t.startsWith('process-lib/'),
};

/** The kernel modules the desktop may read: numbers, words, views, the logs' types and pure checks. */
const WEB_KERNEL_MODULES = new Set([
  'kernel/abi.ts', 'kernel/abi-table.ts', 'kernel/names.ts', 'kernel/view.ts', 'kernel/commits.ts',
  'kernel/axiom.ts', 'kernel/replay.ts', 'kernel/layout.ts', 'kernel/state.ts',
]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(join(ROOT, dir))) return out;
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (name === 'build' || name === 'node_modules') continue;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The project files `file` imports, as paths from the root (AssemblyScript's extensionless ones get .ts). */
function projectImports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName).filter((f) => f.startsWith('.')).map((f) => {
    const path = relative(ROOT, resolve(ROOT, dirname(file), f));
    if (/\.[cm]?[jt]s$/.test(path)) return path;
    return existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory() ? `${path}/index.ts` : `${path}.ts`;
  });
}

function violations(): string[] {
  const out: string[] = [];
  for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
    for (const file of sourceFiles(layer)) {
      for (const target of projectImports(file)) {
        if (target.startsWith('test/')) out.push(`${file} imports ${target}: nothing outside test/ may`);
        else if (!allowed(target)) out.push(`${file} imports ${target}, against the direction of the layers`);
      }
    }
  }
  return out;
}

describe('layers', () => {
  it('every import points one way (web → supervisor → kernel; apps → process-lib → kernel/abi.ts)', () => {
    expect(violations()).toEqual([]);
  });

  it('the desktop and the labs never name the Kernel class or the supervisor`s private kernel', () => {
    for (const file of [...sourceFiles('web'), ...sourceFiles('labs')]) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/\bimport\b[^;]*\bKernel\b[^;]*from/);
      expect(text, file).not.toMatch(/\.kernel\b/);
    }
  });

  it('catches a violation (the check is not vacuous)', () => {
    expect(MAY_IMPORT.kernel!('supervisor/supervisor.ts')).toBe(false);
    expect(MAY_IMPORT.web!('kernel/gateway.ts')).toBe(false);
    expect(MAY_IMPORT.labs!('web/desktop.ts')).toBe(false);
    expect(MAY_IMPORT.supervisor!('bench/run.ts')).toBe(false);
    expect(MAY_IMPORT.supervisor!('cli/run.ts')).toBe(false);
    expect(MAY_IMPORT.cli!('web/session.ts')).toBe(false);
    expect(MAY_IMPORT.console!('web/dom.ts')).toBe(false);
    expect(projectImports('cli/run.ts')).toContain('supervisor/supervisor.ts');
    expect(MAY_IMPORT['process-lib']!('kernel/names.ts')).toBe(false);
    expect(projectImports('web/session.ts')).toContain('supervisor/supervisor.ts');
    expect(projectImports('process-lib/index.ts')).toContain('kernel/abi.ts');
  });
});
