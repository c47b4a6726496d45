// The editor's templates, compiled as the page compiles them (the same
// compile functions, the same library files found by the same pattern, the
// real asc and wabt) and run on a real supervisor with real worker_threads.

import asc from 'assemblyscript/asc';
import wabtInit from 'wabt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBuiltinApps } from '../../supervisor/apps-node.ts';
import type { AppTable } from '../../supervisor/apps.ts';
import { validateModule } from '../../supervisor/validate.ts';
import { compileAssemblyScript } from '../../web/editor/compile-as.ts';
import { assembleWat } from '../../web/editor/compile-wat.ts';
import { LIBRARY } from '../../web/editor/library-sources.ts';
import { findTemplate, TEMPLATES } from '../../web/editor/templates.ts';
import { bootZos, type Booted } from './harness.ts';

let zos: Booted | undefined;
afterEach(() => {
  zos?.sup.shutdown();
  zos = undefined;
});

const built = new Map<string, Promise<Uint8Array>>();

/** A template's binary, compiled once per run. */
function binary(id: string): Promise<Uint8Array> {
  let done = built.get(id);
  if (!done) {
    const template = findTemplate(id);
    if (!template) throw new Error(`no template ${id}`);
    done = (async () => {
      const result = template.language === 'wat'
        ? assembleWat(await wabtInit(), id, template.source)
        : await compileAssemblyScript(asc, LIBRARY, id, template.source);
      if (!result.binary) throw new Error(`${id} did not compile:\n${result.report}`);
      return result.binary;
    })();
    built.set(id, done);
  }
  return done;
}

/** Boots with the templates' programs spawnable by name, as the page registers a user's programs. */
async function boot(...ids: string[]): Promise<Booted & { apps: AppTable }> {
  const apps = loadBuiltinApps();
  for (const id of ids) apps.add(id, await binary(id));
  zos = await bootZos({ apps });
  return { ...zos, apps };
}

describe('editor templates', () => {
  it('the compiler sees every process-lib file and kernel/abi.ts', async () => {
    const { readdirSync } = await import('node:fs');
    const onDisk = readdirSync(new URL('../../process-lib/', import.meta.url), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts')).map((f) => `process-lib/${f}`);
    expect([...LIBRARY.keys()].sort()).toEqual([...onDisk, 'kernel/abi.ts'].sort());
  });

  for (const template of TEMPLATES) {
    it(`${template.id} compiles and passes the validator`, async () => {
      const bytes = await binary(template.id);
      expect(() => validateModule(template.id, bytes)).not.toThrow();
    }, 60_000);
  }

  it('hello prints its PID and exits 0', async () => {
    const z = await boot('hello');
    const pid = z.sup.spawn('hello');
    const info = await z.sup.waitForExit(pid);
    expect(z.output(pid)).toBe(`Hello from my own program! I am pid ${pid}\n`);
    expect(info.exitCode).toBe(0);
  }, 60_000);

  it('hello-wat, on the plain ABI, prints and exits 0', async () => {
    const z = await boot('hello-wat');
    const pid = z.sup.spawn('hello-wat');
    expect((await z.sup.waitForExit(pid)).exitCode).toBe(0);
    expect(z.output(pid)).toBe('Hello from WAT!\n');
  }, 60_000);

  it('echo-client calls echo-service through init and prints the answer', async () => {
    const z = await boot('echo-service', 'echo-client');
    const service = z.sup.spawn('echo-service');
    await z.waitForOutput(service, 'waiting for calls');
    const client = z.sup.spawn('echo-client');
    const info = await z.sup.waitForExit(client);
    const out = z.output(client);
    expect(out).toMatch(/init granted slot \d+: endpoint \d+ \(-w-\)/);
    expect(out).toContain(`echo answered "hello from pid ${client}"`);
    expect(out).toMatch(/RECEIVE on slot \d+: E_PERM/);
    expect(info.exitCode).toBe(0);
    expect(z.output(service)).toContain(`pid ${client} called with "hello from pid ${client}"`);
  }, 60_000);

  it('echo-client without the service says so and exits 2', async () => {
    const z = await boot('echo-client');
    const client = z.sup.spawn('echo-client');
    expect((await z.sup.waitForExit(client)).exitCode).toBe(2);
    expect(z.output(client)).toContain('run echo-service first');
  }, 60_000);

  it('a program added while the system runs is spawnable by name and in init\'s program list', async () => {
    const z = await boot();
    const lister = await compileAssemblyScript(asc, LIBRARY, 'lister', [
      'import { exit, listPrograms, println } from "../process-lib";',
      'export function _start(): void { println(listPrograms().join(",")); exit(0); }',
    ].join('\n'));
    expect(lister.report).toBe('');
    // As the desktop does for a dropped binary: added to the table after boot.
    z.apps.add('lister', lister.binary!);
    z.apps.add('hello-2', await binary('hello'));
    const pid = z.sup.spawn('lister');
    await z.sup.waitForExit(pid);
    expect(z.output(pid).trim().split(',')).toEqual(expect.arrayContaining(['hello', 'terminal', 'lister', 'hello-2']));
  }, 60_000);

  it('derive-pass derives, grants to a copy of itself, and revokes', async () => {
    const z = await boot('derive-pass');
    const passer = z.sup.spawn('derive-pass');
    const info = await z.sup.waitForExit(passer);
    const out = z.output(passer);
    expect(out).toMatch(/derived slot \d+ from it: -wg \(no read\)/);
    expect(out).toContain('for rwg, got -wg: rights never grow');
    const child = Number(/init started pid (\d+)/.exec(out)![1]);
    expect(out).toContain(`pid ${child} wrote "hi from pid ${child}" to our endpoint`);
    expect(out).toMatch(/revoked slot \d+: 2 capabilities removed in 2 processes; slot \d+ is now empty/);
    expect(info.exitCode).toBe(0);
    const childInfo = await z.sup.waitForExit(child);
    const childOut = z.output(child);
    expect(childOut).toMatch(/got slot \d+: -w-/);
    expect(childOut).toContain('SEND on it: ok');
    expect(childOut).toContain('RECEIVE on it: E_PERM');
    expect(childOut).toMatch(/told: slot \d+ was revoked \(explicit\)/);
    expect(childInfo.exitCode).toBe(0);
  }, 60_000);
});
