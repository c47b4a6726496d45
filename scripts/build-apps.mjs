// Builds every zos app into apps/build/<name>.wasm and checks each binary
// with the supervisor's own validator (ABI §1) before writing it.
//
// An app is apps/<name>.ts or apps/<name>/index.ts, compiled with
// process-lib and kernel/abi.ts; apps/shared/ holds code several apps use.
// An output newer than all of its sources (the app's own files, apps/shared/,
// process-lib/, kernel/abi.ts, this script, supervisor/asc-flags.ts and the
// validator) is left alone. Exits non-zero on any compile error or ABI violation.

import asc from 'assemblyscript/asc';
import { tsImport } from 'tsx/esm/api';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const appsDir = join(root, 'apps');
const buildDir = join(appsDir, 'build');
const sharedAppsDir = join(appsDir, 'shared');
const sharedSources = [
  join(root, 'process-lib'), join(root, 'kernel', 'abi.ts'), sharedAppsDir, fileURLToPath(import.meta.url),
  join(root, 'supervisor', 'asc-flags.ts'), join(root, 'supervisor', 'validate.ts'), join(root, 'kernel', 'abi-table.ts'),
];

class BuildError extends Error {}

const validator = tsImport('../supervisor/validate.ts', import.meta.url);
const { ASC_FLAGS } = await tsImport('../supervisor/asc-flags.ts', import.meta.url);

async function main() {
  const started = performance.now();
  const apps = await findApps();
  if (apps.length === 0) throw new BuildError('no apps found in apps/');
  await mkdir(buildDir, { recursive: true });
  const sharedTime = await newestMtime(sharedSources);
  let built = 0;
  for (const app of apps) {
    const output = join(buildDir, `${app.name}.wasm`);
    const outputTime = (await stat(output).catch(() => null))?.mtimeMs ?? 0;
    if (outputTime >= Math.max(sharedTime, await newestMtime(app.sources))) continue;
    const binary = await compile(app);
    await checkAbi(app.name, binary);
    await writeFile(output, binary);
    built++;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const upToDate = apps.length - built;
  console.log(`build-apps: ${apps.length} apps in apps/build (${built} built, ${upToDate} up to date) in ${seconds}s`);
}

/** apps/<name>.ts and apps/<name>/index.ts, sorted by name. */
async function findApps() {
  const apps = [];
  for (const entry of await readdir(appsDir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      const file = join(appsDir, entry.name);
      apps.push({ name: entry.name.slice(0, -3), entry: file, sources: [file] });
    } else if (entry.isDirectory()) {
      const dir = join(appsDir, entry.name);
      const index = join(dir, 'index.ts');
      if (await stat(index).catch(() => null)) apps.push({ name: entry.name, entry: index, sources: [dir] });
    }
  }
  return apps.sort((a, b) => a.name.localeCompare(b.name));
}

/** The newest modification time among files and everything under directories (missing ones ignored). */
async function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) continue;
    newest = Math.max(newest, info.mtimeMs);
    if (info.isDirectory()) {
      const children = (await readdir(path)).map((name) => join(path, name));
      newest = Math.max(newest, await newestMtime(children));
    }
  }
  return newest;
}

/** Compiles one app in memory; the binary is written only after it passes the checks. */
async function compile(app) {
  let binary = null;
  const diagnostics = [];
  const argv = [relative(root, app.entry), '--baseDir', root, '--outFile', 'app.wasm', ...ASC_FLAGS];
  const { error } = await asc.main(argv, {
    stdout: asc.createMemoryStream(),
    stderr: asc.createMemoryStream((chunk) => diagnostics.push(String(chunk))),
    writeFile: (name, contents) => {
      if (name === 'app.wasm') binary = contents;
    },
  });
  const report = diagnostics.join('').trimEnd();
  if (error || !binary) {
    const reason = error ? `: ${error.message}` : '';
    throw new BuildError(`${report}\nbuild-apps: ${app.name} failed to compile${reason}`);
  }
  if (report) console.error(report); // warnings
  return binary;
}

/**
 * ABI §1, checked by the very validator the supervisor runs before a spawn
 * (supervisor/validate.ts, loaded through tsx): an app the build accepts is
 * an app the OS accepts.
 */
async function checkAbi(name, binary) {
  const { validateModule, ValidationError, DEFAULT_LIMITS } = await validator;
  try {
    validateModule(name, binary, DEFAULT_LIMITS);
  } catch (e) {
    if (e instanceof ValidationError) throw new BuildError(`build-apps: ${e.message}`);
    throw e;
  }
}

try {
  await main();
} catch (e) {
  console.error(e instanceof BuildError ? e.message : e);
  process.exit(1);
}
