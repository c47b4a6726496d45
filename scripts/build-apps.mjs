// Builds every zos app into apps/build/<name>.wasm and checks each binary
// against ABI §1 before writing it.
//
// An app is apps/<name>.ts or apps/<name>/index.ts, compiled with
// process-lib and kernel/abi.ts; apps/shared/ holds code several apps use.
// An output newer than all of its sources (the app's own files, apps/shared/,
// process-lib/, kernel/abi.ts, this script and asc-flags.mjs) is left
// alone. Exits non-zero on any compile error or ABI violation.

import asc from 'assemblyscript/asc';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASC_FLAGS } from './asc-flags.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const appsDir = join(root, 'apps');
const buildDir = join(appsDir, 'build');
const sharedAppsDir = join(appsDir, 'shared');
const sharedSources = [
  join(root, 'process-lib'), join(root, 'kernel', 'abi.ts'), sharedAppsDir, fileURLToPath(import.meta.url),
  fileURLToPath(new URL('./asc-flags.mjs', import.meta.url)),
];

// ABI §1: the only imports a process may have, with their signatures.
const ALLOWED_IMPORTS = new Map([
  ['env.zos_syscall', 'func (i32,i32,i32,i32)->(i32)'],
  ['env.zos_send_bytes', 'func (i32,i32)->()'],
  ['env.zos_recv_bytes', 'func (i32,i32)->(i32)'],
  ['env.zos_yield', 'func ()->()'],
  ['env.zos_get_pid', 'func ()->(i32)'],
  ['env.abort', 'func (i32,i32,i32,i32)->()'],
  ['env.memory', 'memory'],
]);

class BuildError extends Error {}

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
    checkAbi(app.name, binary);
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

/** ABI §1: only allowed imports, with their signatures; `_start` exported; a memory exported or imported. */
function checkAbi(name, binary) {
  const fail = (why) => { throw new BuildError(`build-apps: ${name}: ${why} (ABI §1)`); };
  const module = new WebAssembly.Module(binary);
  const imports = readImports(binary);
  for (const { key, signature } of imports) {
    const allowed = ALLOWED_IMPORTS.get(key);
    if (!allowed) fail(`imports ${key}, which the runtime refuses`);
    if (allowed !== signature) fail(`imports ${key} as ${signature}, expected ${allowed}`);
  }
  const exports = WebAssembly.Module.exports(module);
  if (!exports.some((e) => e.name === '_start' && e.kind === 'function')) fail('does not export a function _start');
  const hasMemory = exports.some((e) => e.name === 'memory' && e.kind === 'memory') ||
    imports.some((i) => i.key === 'env.memory');
  if (!hasMemory) fail('neither exports nor imports a memory');
}

/**
 * The import section with function signatures, which WebAssembly.Module.imports()
 * does not give: [{ key: 'module.name', signature }].
 */
function readImports(bytes) {
  let at = 8; // magic and version
  const byte = () => bytes[at++];
  const uleb = () => {
    let value = 0;
    let shift = 0;
    let b;
    do {
      b = byte();
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return value;
  };
  const name = () => {
    const length = uleb();
    at += length;
    return new TextDecoder().decode(bytes.subarray(at - length, at));
  };
  const valueType = () => {
    const code = byte();
    return VALUE_TYPES[code] ?? `0x${code.toString(16)}`;
  };
  const valueTypes = () => Array.from({ length: uleb() }, valueType);
  const limits = () => {
    const flags = byte();
    uleb(); // minimum
    if (flags & 1) uleb(); // maximum
  };
  const types = [];
  const imports = [];
  while (at < bytes.length) {
    const id = byte();
    const end = uleb() + at;
    if (id === 1) {
      for (let n = uleb(); n > 0; n--) {
        byte(); // 0x60: function type
        const params = valueTypes();
        types.push(`func (${params})->(${valueTypes()})`);
      }
    } else if (id === 2) {
      for (let n = uleb(); n > 0; n--) {
        const key = `${name()}.${name()}`;
        const kind = byte();
        if (kind === 0) imports.push({ key, signature: types[uleb()] });
        else if (kind === 1) { byte(); limits(); imports.push({ key, signature: 'table' }); }
        else if (kind === 2) { limits(); imports.push({ key, signature: 'memory' }); }
        else if (kind === 3) { byte(); byte(); imports.push({ key, signature: 'global' }); }
        else { byte(); uleb(); imports.push({ key, signature: 'tag' }); }
      }
    }
    at = end;
  }
  return imports;
}

const VALUE_TYPES = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref',
};

try {
  await main();
} catch (e) {
  console.error(e instanceof BuildError ? e.message : e);
  process.exit(1);
}
