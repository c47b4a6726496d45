// `npm run bench` / `zos bench`: the suite in Node, then in headless
// Chromium, in one run; writes bench/results/latest.json, latest.md and the
// table in docs/performance.md. Usage, and the parts --only picks:
// bench/usage.ts. Vite, Playwright and wabt are imported when needed, so that
// a usage error or --help is quick.

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import type { Browser, CDPSession, Page } from 'playwright';
import { fileURLToPath } from 'node:url';
import { findChromium, LAUNCH_ARGS } from '../scripts/browser.mjs';
import { serveStatic } from '../scripts/serve-static.mjs';
import { loadBuiltinApps } from '../supervisor/apps-node.ts';
import { bundledWorker, nodeHost } from '../supervisor/host-node.ts';
import type { FloorStart } from './floor-loop.ts';
import { chromiumCpuPercent } from './proc-cpu.ts';
import { PROGRAMS } from './programs.ts';
import { editorCompile } from './editor-bench.ts';
import { programsNeeded, runSuite, SECTIONS, type Binaries, type BenchRow, type Section } from './suite.ts';
import { renderTable } from './targets.ts';
import { BENCH_PARTS as PARTS, BENCH_USAGE, PAGE_SECTIONS } from './usage.ts';

const RESULTS = new URL('./results/', import.meta.url);
const PERFORMANCE_DOC = new URL('../docs/performance.md', import.meta.url);

/** The parts measured in the benchmark page by bench/ui-bench.ts, each one row. */
const UI_PARTS: Partial<Record<Part, string>> = { timetravel: 'timetravel_jump_ms', graph: 'graph_update_ms' };
type Part = (typeof PARTS)[number];

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' }, 'node-only': { type: 'boolean' }, only: { type: 'string', multiple: true },
        section: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`zos bench: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')} (zos bench --help for usage)\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const only = values.only?.flatMap((v) => v.split(',')); // --only a,b as well as --only a --only b
  const unknown = (only ?? []).filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) {
    process.stderr.write(`zos bench: unknown part ${unknown.map((p) => `"${p}"`).join(', ')}; the parts are ${PARTS.join(', ')}\n`);
    return 2;
  }
  const sectionNames: readonly string[] = [...SECTIONS, ...PAGE_SECTIONS];
  const unknownSections = (values.section ?? []).filter((p) => !sectionNames.includes(p));
  if (unknownSections.length) {
    process.stderr.write(`zos bench: unknown section ${unknownSections.map((p) => `"${p}"`).join(', ')}; the sections are ${sectionNames.join(', ')}\n`);
    return 2;
  }
  const sections = values.section ? new Set(values.section) : undefined;
  const parts = new Set<Part>(only ? only as Part[] : values['node-only'] ? ['node'] : sections ? ['node', 'chromium'] : PARTS);
  const quick = !!values.quick;
  const binaries = await assemble(quick);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);

  const rows: BenchRow[] = [];
  if (parts.has('node')) {
    log('== node');
    rows.push(...await runSuite({
      env: 'node', host: nodeHost, apps: loadBuiltinApps(), binaries, quick, log,
      floorWorker: nodeFloorWorker, cpuPercent: nodeCpuPercent, sections: sections as Set<Section> | undefined, heapMb: nodeHeapMb,
    }));
  }
  let browserVersion: string | null = null;
  if ([...parts].some((p) => p !== 'node')) {
    log('== chromium');
    const browser = await runInChromium(binaries, quick, parts, sections, log);
    rows.push(...browser.rows);
    browserVersion = browser.version;
  }

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`, node: process.version, chromium: browserVersion,
    date: new Date().toISOString(), quick,
  };
  const table = renderTable(rows);
  if (only || sections) {
    log(`(--only ${[...parts].join(' ')}${sections ? ` --section ${[...sections].join(' ')}` : ''}: bench/results and docs/performance.md left as they are)`);
  } else {
    writeFileSync(new URL('latest.json', RESULTS), `${JSON.stringify({ machine, results: rows }, null, 2)}\n`);
    writeFileSync(new URL('latest.md', RESULTS), `${machineLine(machine)}\n\n${table}\n`);
    updatePerformanceDoc(`${machineLine(machine)}\n\n${table}`);
  }
  process.stdout.write(`${machineLine(machine)}\n\n${table}\n`);
  return 0;
}

function machineLine(m: { cpu: string; cores: number; memoryGiB: number; node: string; chromium: string | null; date: string; quick: boolean }): string {
  return `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; Chromium ${m.chromium ?? '—'}; ${m.date}${m.quick ? ' (quick run)' : ''}`;
}

/** Replaces the text between the result markers of docs/performance.md. */
function updatePerformanceDoc(text: string): void {
  const doc = readFileSync(PERFORMANCE_DOC, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/performance.md lacks the ${begin} … ${end} markers`);
  writeFileSync(PERFORMANCE_DOC, `${doc.slice(0, a + begin.length)}\n${text}\n${doc.slice(b)}`);
}

async function assemble(quick: boolean): Promise<Binaries> {
  const wabt = await (await import('wabt')).default();
  const out: Binaries = {};
  for (const [key, [program, n]] of Object.entries(programsNeeded(quick))) {
    const source = (PROGRAMS[program] as (n?: number) => string)(n);
    out[key] = new Uint8Array(wabt.parseWat(`${key}.wat`, source, { bulk_memory: true }).toBinary({}).buffer);
  }
  return out;
}

function nodeFloorWorker(start: FloorStart): Promise<void> {
  const worker = new Worker(bundledWorker(new URL('./floor-worker-node.ts', import.meta.url)), { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('message', () => void worker.terminate().then(() => resolve()));
    worker.once('error', reject);
    worker.postMessage(start);
  });
}

/** The main thread's heap after a full collection, in MB. */
const collect = ((): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
async function nodeHeapMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collect();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** The page's main-thread heap after a full collection, in MB, through the DevTools protocol. */
async function cdpHeapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 2 ** 20;
}

/** This Node process, every thread, in % of one core over `ms`. */
async function nodeCpuPercent(ms: number): Promise<number> {
  const before = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (performance.now() - t0)) * 100;
}

/**
 * The page as it ships: a production build of the desktop and the benchmark
 * page (with the site's service worker, as `npm run build` makes it).
 */
async function buildForBrowser(): Promise<string> {
  const outDir = fileURLToPath(new URL('../dist/bench/', import.meta.url));
  const input = { main: fileURLToPath(new URL('../index.html', import.meta.url)), bench: fileURLToPath(new URL('./bench.html', import.meta.url)) };
  const { build } = await import('vite');
  await build({ logLevel: 'error', build: { outDir, emptyOutDir: true, rollupOptions: { input } } });
  return outDir;
}

/** The build served by `vite preview`, with the same COOP/COEP headers as dev. */
async function servePreview(outDir: string): Promise<{ base: string; close(): Promise<void> }> {
  const { preview } = await import('vite');
  const server = await preview({ logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  const address = server.httpServer.address() as { port: number };
  return { base: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

async function runInChromium(binaries: Binaries, quick: boolean, parts: Set<Part>, sections: Set<string> | undefined,
  log: (l: string) => void): Promise<{ rows: BenchRow[]; version: string }> {
  const outDir = await buildForBrowser();
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found: run `node scripts/ensure-browser.mjs` or set CHROME_PATH');
  const { chromium } = await import('playwright');
  const browserServer = await chromium.launchServer({ executablePath, args: LAUNCH_ARGS, headless: true });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const rows: BenchRow[] = [];
  try {
    const ui = [...parts].flatMap((p) => UI_PARTS[p] ?? []);
    if (parts.has('chromium') || parts.has('boot') || parts.has('page-idle') || parts.has('editor') || ui.length) {
      const server = await servePreview(outDir);
      try {
        if (parts.has('chromium')) rows.push(...await benchPage(browser, browserServer.process().pid!, server.base, binaries, quick, sections, log));
        if (ui.length) rows.push(...await uiBench(browser, server.base, binaries, quick, ui, log));
        if (parts.has('boot')) rows.push(await bootToPrompt(browser, server.base, log));
        if (parts.has('page-idle')) rows.push(await pageIdle(browser, server.base, quick, log));
        if (parts.has('editor')) rows.push(...await editorCompile(browser, server.base, quick, log));
      } finally {
        await server.close();
      }
    }
    if (parts.has('static')) {
      const site = await serveStatic({ dir: outDir, base: '/zos/' });
      try {
        rows.push(...await bootToPromptStatic(browser, site.url, log));
      } finally {
        await site.close();
      }
    }
    return { rows, version: browser.version() };
  } finally {
    await browser.close();
    await browserServer.close();
  }
}

/** The suite in the benchmark page (bench/bench.html). */
async function benchPage(browser: Browser, browserPid: number, base: string, binaries: Binaries, quick: boolean,
  sections: Set<string> | undefined, log: (l: string) => void): Promise<BenchRow[]> {
  const page = await browser.newPage();
  page.on('console', (m) => log(`  [page] ${m.text()}`));
  page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
  await page.exposeFunction('hostCpuPercent', (ms: number) => chromiumCpuPercent(browserPid, ms));
  await page.goto(`${base}/bench/bench.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  const plain = Object.fromEntries(Object.entries(binaries).map(([k, v]) => [k, Array.from(v)]));
  page.setDefaultTimeout(0);
  const cdp = await page.context().newCDPSession(page);
  await page.exposeFunction('hostHeapMb', () => cdpHeapMb(cdp));
  const rows = await page.evaluate(([b, q, only]) => window.runBench(b, q, only), [plain, quick, sections ? [...sections] : null] as const);
  await page.close();
  return rows;
}

/**
 * The booted desktop with nothing running: the CPU time of the browser's
 * renderer processes (the page, its workers, the service worker), from the
 * DevTools protocol's process list, over a window once the boot has settled.
 */
async function pageIdle(browser: Browser, base: string, quick: boolean, log: (l: string) => void): Promise<BenchRow> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await promptMs(page);
  await page.evaluate(() => window.zos.flush());
  await page.waitForTimeout(8000); // the saved boots' verification, the first saves, the service worker's start, the cursor's last blinks
  const cdp = await browser.newBrowserCDPSession();
  const rendererSeconds = async (): Promise<number> => {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo') as { processInfo: { type: string; cpuTime: number }[] };
    return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0);
  };
  const windowMs = quick ? 5000 : 10_000;
  const samples: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const c0 = await rendererSeconds();
    const t0 = performance.now();
    await page.waitForTimeout(windowMs);
    samples.push(((await rendererSeconds()) - c0) / ((performance.now() - t0) / 1000) * 100);
  }
  await cdp.detach();
  await context.close();
  samples.sort((a, b) => a - b);
  log(`chromium page_idle_cpu_pct: ${samples.map((s) => s.toFixed(2)).join(', ')}`);
  return {
    name: 'page_idle_cpu_pct', env: 'chromium', median: Math.round(samples[Math.floor(samples.length / 2)]! * 100) / 100,
    p99: Math.round(samples.at(-1)! * 100) / 100, unit: '% of a core',
    note: `booted desktop, nothing running: renderer CPU over ${samples.length} × ${windowMs / 1000} s`,
  };
}

/** The desktop's time travel and graph (bench/ui-bench.ts), in the benchmark page. */
async function uiBench(browser: Browser, base: string, binaries: Binaries, quick: boolean, rowNames: string[], log: (l: string) => void): Promise<BenchRow[]> {
  const page = await browser.newPage();
  page.on('console', (m) => log(`  [page] ${m.text()}`));
  page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
  await page.goto(`${base}/bench/bench.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  page.setDefaultTimeout(0);
  const rows = await page.evaluate(([idle, q, names]) => window.runUiBench(idle, q, names), [Array.from(binaries.idle!), quick, rowNames] as const);
  await page.close();
  return rows;
}

const BOOT_LOADS = 5;

/** The page's own figure: its load → the first shell prompt (window.zos.timings). */
async function promptMs(page: Page): Promise<number> {
  const ms = await page.waitForFunction(
    () => (window as unknown as { zos?: { timings?: { promptMs?: number } } }).zos?.timings?.promptMs,
    undefined, { timeout: 60_000 });
  return Number(await ms.jsonValue());
}

/** Load of the desktop page → the first shell prompt, as the page reports it (window.zos.timings). */
async function bootToPrompt(browser: Browser, base: string, log: (l: string) => void): Promise<BenchRow> {
  const samples: number[] = [];
  for (let i = 0; i < BOOT_LOADS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    samples.push(await promptMs(page));
    await context.close();
  }
  return bootRow('boot_to_prompt_ms', samples, `production build via vite preview; ${BOOT_LOADS} fresh loads`, log);
}

/**
 * The same on a static host that sends no isolation headers (under /zos/):
 * the first visit of a fresh browser profile, from its first load, through
 * the service worker's install and the one reload, to the prompt; then a
 * later visit (a new tab), served by the service worker.
 */
async function bootToPromptStatic(browser: Browser, url: string, log: (l: string) => void): Promise<BenchRow[]> {
  const first: number[] = [];
  const later: number[] = [];
  for (let i = 0; i < BOOT_LOADS; i++) {
    const context = await browser.newContext();
    // The first document of the tab notes when it started; the reload keeps it (sessionStorage).
    await context.addInitScript(() => {
      if (sessionStorage.getItem('bench.firstLoad') === null) sessionStorage.setItem('bench.firstLoad', String(performance.timeOrigin));
    });
    const page = await context.newPage();
    await page.goto(url);
    const ms = await promptMs(page);
    first.push(await page.evaluate((m) => performance.timeOrigin + m - Number(sessionStorage.getItem('bench.firstLoad')), ms));
    if (!await page.evaluate(() => globalThis.crossOriginIsolated && navigator.serviceWorker.controller !== null)) {
      throw new Error('the static site booted without its service worker: the measurement would be of something else');
    }
    await page.close();
    const again = await context.newPage();
    await again.goto(url);
    later.push(await promptMs(again));
    await context.close();
  }
  return [
    bootRow('boot_to_prompt_static_first_visit_ms', first, `static host, no isolation headers: first visit, service worker install + one reload; ${BOOT_LOADS} fresh profiles`, log),
    bootRow('boot_to_prompt_static_ms', later, `static host, no isolation headers: a later visit, served by the service worker; ${BOOT_LOADS} profiles`, log),
  ];
}

function bootRow(name: string, samples: number[], note: string, log: (l: string) => void): BenchRow {
  samples.sort((a, b) => a - b);
  log(`chromium ${name}: ${samples.map((s) => s.toFixed(0)).join(', ')}`);
  const median = samples[Math.floor(samples.length / 2)]!;
  return { name, env: 'chromium', median: Math.round(median), p99: Math.round(samples.at(-1)!), unit: 'ms', note };
}
