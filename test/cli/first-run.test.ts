// The first run: package.json's engines admits exactly the Node versions every
// installed dependency admits (and the README names them); the dev and
// preview servers fail loudly when their documented port is taken.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as listenOn, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { createServer, loadConfigFromFile, preview } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };

/** Every installed package that states the Node versions it runs on. */
function dependencyEngines(dir = join(ROOT, 'node_modules')): { name: string; node: string }[] {
  const out: { name: string; node: string }[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (entry.startsWith('@')) {
      out.push(...dependencyEngines(path));
      continue;
    }
    let manifest: { name: string; engines?: { node?: string } };
    try {
      manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (manifest.engines?.node) out.push({ name: manifest.name, node: manifest.engines.node });
    try {
      out.push(...dependencyEngines(join(path, 'node_modules')));
    } catch {
      // no nested node_modules
    }
  }
  return out;
}

describe('engines', () => {
  const deps = dependencyEngines();

  it('admits a Node version exactly when every dependency does', () => {
    expect(deps.map((d) => d.name)).toEqual(expect.arrayContaining(['vite', 'vitest', 'playwright', 'tsx', 'esbuild']));
    // Every x.y.0 from Node 18 to 26, and every lowest version a dependency names.
    const candidates = new Set<string>();
    for (let major = 18; major <= 26; major++) for (let minor = 0; minor <= 30; minor++) candidates.add(`${major}.${minor}.0`);
    for (const d of deps) candidates.add(semver.minVersion(d.node)!.version);
    const wrong = [...candidates].filter((v) => semver.satisfies(v, pkg.engines.node) !== deps.every((d) => semver.satisfies(v, d.node)))
      .map((v) => `${v}: engines ${semver.satisfies(v, pkg.engines.node) ? 'admits' : 'refuses'} it; ` +
        `refused by ${deps.filter((d) => !semver.satisfies(v, d.node)).map((d) => `${d.name} (${d.node})`).join(', ') || 'none'}`);
    expect(wrong).toEqual([]);
  });

  it('the README names them', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(pkg.engines.node);
  });
});

describe('the documented ports', () => {
  const servers: Server[] = [];
  const dist = mkdtempSync(join(tmpdir(), 'zos-preview-'));
  afterAll(() => {
    servers.forEach((s) => s.close());
    rmSync(dist, { recursive: true, force: true });
  });
  /** A port something else already listens on. */
  const takenPort = (): Promise<number> => new Promise((resolve) => {
    const server = listenOn().listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    servers.push(server);
  });
  const configFile = join(ROOT, 'vite.config.ts');

  it('are 5173 (dev) and 4173 (preview), strictly', async () => {
    const loaded = await loadConfigFromFile({ command: 'serve', mode: 'development' }, configFile);
    expect(loaded!.config.server).toMatchObject({ port: 5173, strictPort: true });
    expect(loaded!.config.preview).toMatchObject({ port: 4173, strictPort: true });
  });

  it('the dev server refuses a taken port instead of moving to another', async () => {
    const port = await takenPort();
    const server = await createServer({ configFile, logLevel: 'silent', server: { port, host: '127.0.0.1', watch: null } });
    try {
      await expect(server.listen()).rejects.toThrow(`Port ${port} is already in use`);
    } finally {
      await server.close();
    }
  });

  it('so does the preview server', async () => {
    const port = await takenPort();
    await expect(preview({ configFile, logLevel: 'silent', build: { outDir: dist }, preview: { port, host: '127.0.0.1' } }))
      .rejects.toThrow(`Port ${port} is already in use`);
  });
});
