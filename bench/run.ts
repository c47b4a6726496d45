// `npm run bench` / `zos bench`: the suite in Node, then in headless
// Chromium, in one run; writes bench/results/latest.json, latest.md and the
// table in docs/performance.md.
//
//   zos bench [--quick] [--node-only] [--only name,name...]
//
// --only measures just the rows named (e.g. --only timetravel_jump_ms,graph_update_ms)
// and prints their table; it writes no result file, so the last full run stays the record.

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { chromium } from 'playwright';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import wabtInit from 'wabt';
import { findChromium, LAUNCH_ARGS } from '../scripts/browser.mjs';
import { loadBuiltinApps } from '../supervisor/apps-node.ts';
import { bundledWorker, nodeHost } from '../supervisor/host-node.ts';
import type { FloorStart } from './floor-loop.ts';
import { chromiumCpuPercent } from './proc-cpu.ts';
import { PROGRAMS } from './programs.ts';
import { programsNeeded, runSuite, SUITE_ROWS, type Binaries, type BenchRow } from './suite.ts';
import { renderTable } from './targets.ts';

const RESULTS = new URL('./results/', import.meta.url);
const PERFORMANCE_DOC = new URL('../docs/performance.md', import.meta.url);

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { quick: { type: 'boolean' }, 'node-only': { type: 'boolean' }, only: { type: 'string' } } });
  const quick = !!values.quick;
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
  const wanted = (name: string): boolean => only === null || only.includes(name);
  const binaries = await assemble(quick);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);

  const rows: BenchRow[] = [];
  if (SUITE_ROWS.some(wanted)) {
    log('== node');
    rows.push(...await runSuite({
      env: 'node', host: nodeHost, apps: loadBuiltinApps(), binaries, quick, log,
      floorWorker: nodeFloorWorker, cpuPercent: nodeCpuPercent,
    }));
  }
  let browserVersion: string | null = null;
  if (!values['node-only']) {
    log('== chromium');
    const browser = await runInChromium(binaries, quick, only, log);
    rows.push(...browser.rows);
    browserVersion = browser.version;
  }
  if (only) {
    const table = renderTable(rows.filter((r) => wanted(r.name)));
    process.stdout.write(`${table}\n`);
    return 0;
  }

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`, node: process.version, chromium: browserVersion,
    date: new Date().toISOString(), quick,
  };
  const table = renderTable(rows);
  writeFileSync(new URL('latest.json', RESULTS), `${JSON.stringify({ machine, results: rows }, null, 2)}\n`);
  writeFileSync(new URL('latest.md', RESULTS), `${machineLine(machine)}\n\n${table}\n`);
  updatePerformanceDoc(`${machineLine(machine)}\n\n${table}`);
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
  const wabt = await wabtInit();
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

/** This Node process, every thread, in % of one core over `ms`. */
async function nodeCpuPercent(ms: number): Promise<number> {
  const before = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (performance.now() - t0)) * 100;
}

/**
 * The page as it ships: a production build (the desktop and the benchmark
 * page) served by `vite preview`, with the same COOP/COEP headers as dev.
 */
async function servePreviewBuild(): Promise<{ base: string; close(): Promise<void> }> {
  const outDir = fileURLToPath(new URL('../dist/bench/', import.meta.url));
  const input = { main: fileURLToPath(new URL('../index.html', import.meta.url)), bench: fileURLToPath(new URL('./bench.html', import.meta.url)) };
  await build({ logLevel: 'error', build: { outDir, emptyOutDir: true, rollupOptions: { input } } });
  const server = await preview({ logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  const address = server.httpServer.address() as { port: number };
  return { base: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

async function runInChromium(binaries: Binaries, quick: boolean, only: string[] | null, log: (l: string) => void): Promise<{ rows: BenchRow[]; version: string }> {
  const server = await servePreviewBuild();
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found: run `node scripts/ensure-browser.mjs` or set CHROME_PATH');
  const browserServer = await chromium.launchServer({ executablePath, args: LAUNCH_ARGS, headless: true });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  try {
    const page = await browser.newPage();
    page.on('console', (m) => log(`  [page] ${m.text()}`));
    page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
    const browserPid = browserServer.process().pid!;
    await page.exposeFunction('hostCpuPercent', (ms: number) => chromiumCpuPercent(browserPid, ms));
    const base = server.base;
    await page.goto(`${base}/bench/bench.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    const plain = Object.fromEntries(Object.entries(binaries).map(([k, v]) => [k, Array.from(v)]));
    page.setDefaultTimeout(0);
    const rows = await page.evaluate(([b, q, o]) => window.runBench(b, q, o), [plain, quick, only] as const);
    if (!only || only.includes('boot_to_prompt_ms')) rows.push(await bootToPrompt(browser, base, log));
    return { rows, version: browser.version() };
  } finally {
    await browser.close();
    await browserServer.close();
    await server.close();
  }
}

/** Load of the desktop page → the first shell prompt, as the page reports it (window.zos.timings). */
async function bootToPrompt(browser: import('playwright').Browser, base: string, log: (l: string) => void): Promise<BenchRow> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    const ms = await page.waitForFunction(
      () => (window as unknown as { zos?: { timings?: { promptMs?: number } } }).zos?.timings?.promptMs,
      undefined, { timeout: 60_000 });
    samples.push(Number(await ms.jsonValue()));
    await context.close();
  }
  samples.sort((a, b) => a - b);
  log(`chromium boot_to_prompt_ms: ${samples.join(', ')}`);
  const median = samples[Math.floor(samples.length / 2)]!;
  return { name: 'boot_to_prompt_ms', env: 'chromium', median: Math.round(median), p99: Math.round(samples.at(-1)!), unit: 'ms', note: 'production build via vite preview; 5 fresh loads' };
}

