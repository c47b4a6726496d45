// The browser harness: one Vite dev server (port 0), one Chromium page (the
// real desktop, index.html), and every batch run through the documented page
// API (docs/web.md, web/page-api.ts): window.zos.spawn(bytes, {name,
// memoryLimitPages, cpuLimitMs}), sendInput, waitForExit, kill, processes(),
// consoleText(), verify(), syslog(), commits(). The binaries are the very
// ones the Node harness ran.

import { chromium, type Browser, type Page } from 'playwright';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createServer, type ViteDevServer } from 'vite';
import { findChromium, LAUNCH_ARGS } from '../../scripts/browser.mjs';
import type { CaseRun, LogRun, ProcRun } from './model.ts';
import type { Batch } from './plan.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the page is given for one batch. */
interface PageBatch {
  procs: { name: string; b64: string; input: string | null }[];
  timeoutMs: number;
  memoryLimitPages: number | null;
  cpuLimitMs: number | null;
  wantLogs: boolean;
}

interface PageResult {
  procs: { name: string; pid: number | null; refused: string | null; status: string | null; exitCode: number | null;
    fault: { reason: string; description: string } | null; output: string; timedOut: boolean }[];
  verify: { ok: boolean; head: string | null; badSeq?: number; reason?: string; replayMatches: boolean; commits: number } | null;
  syslogCount: number;
  syslog?: unknown[];
  commits?: unknown[];
  processes?: { pid: number; name: string; status: string; fault: { reason: string; description: string } | null }[];
  ms: number;
}

/** Runs in the page: spawn the batch, wait for every process to end, collect. */
async function runInPage(batch: PageBatch): Promise<PageResult> {
  const z = (window as unknown as { zos: any }).zos; // eslint-disable-line @typescript-eslint/no-explicit-any
  await z.ready;
  const t0 = performance.now();
  const decode = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const procs: PageResult['procs'] = [];
  // As `zos run --memory-limit --cpu-limit`: the batch's limits apply to each of its processes.
  const limits = { memoryLimitPages: batch.memoryLimitPages ?? undefined, cpuLimitMs: batch.cpuLimitMs ?? undefined };
  for (const p of batch.procs) {
    const r: PageResult['procs'][number] = { name: p.name, pid: null, refused: null, status: null, exitCode: null, fault: null, output: '', timedOut: false };
    try {
      r.pid = await z.spawn(decode(p.b64), { name: p.name, ...limits });
    } catch (e) {
      r.refused = (e as Error).message;
    }
    procs.push(r);
  }
  // As `zos run --input`: console input right after the spawns, before the processes run far.
  batch.procs.forEach((p, i) => { if (p.input !== null && procs[i]!.pid !== null) z.sendInput(procs[i]!.pid, p.input); });
  const deadline = performance.now() + batch.timeoutMs;
  await Promise.all(procs.map(async (r) => {
    if (r.pid === null) return;
    try {
      await z.waitForExit(r.pid, Math.max(1, deadline - performance.now()));
    } catch {
      r.timedOut = true;
    }
  }));
  for (const r of procs) if (r.timedOut && r.pid !== null) z.kill(r.pid);
  const table = z.processes() as { pid: number; name: string; status: string; exitCode: number | null; fault: { reason: string; description: string } | null }[];
  for (const r of procs) {
    if (r.pid === null) continue;
    const info = table.find((x) => x.pid === r.pid);
    r.status = info?.status ?? null;
    r.exitCode = info?.exitCode ?? null;
    r.fault = info?.fault ?? null;
    r.output = z.consoleText(r.pid);
  }
  const v = z.verify();
  const out: PageResult = {
    procs, verify: { ok: v.ok, head: v.head, badSeq: v.badSeq, reason: v.reason, replayMatches: v.replayMatches, commits: v.commits },
    syslogCount: NaN, ms: performance.now() - t0,
  };
  if (batch.wantLogs) {
    out.syslogCount = z.syslog(1e9).length; // the events kept (the page API has no count of trimmed ones)
    out.syslog = z.syslog(20_000);
    out.commits = z.commits(1e9);
    out.processes = table.map((p) => ({ pid: p.pid, name: p.name, status: p.status, fault: p.fault }));
  }
  return out;
}

export interface BrowserSession {
  page: Page;
  close(): Promise<void>;
  notes: string[];
}

export async function openBrowser(log: (line: string) => void): Promise<BrowserSession> {
  const server: ViteDevServer = await createServer({
    root: ROOT, configFile: `${ROOT}vite.config.ts`, logLevel: 'error', clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  const port = (server.httpServer!.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  const executablePath = findChromium() ?? undefined;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true });
  } catch (e) {
    await server.close();
    throw e;
  }
  const page = await browser.newPage();
  // tsx compiles this file with esbuild's keepNames: functions passed to page.evaluate carry __name() calls.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  const notes: string[] = [];
  page.on('pageerror', (e) => notes.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') notes.push(`console error: ${m.text()}`); });
  log(`browser: ${executablePath ?? 'playwright chromium'} on ${url}`);
  await page.goto(url);
  await page.waitForFunction(() => typeof (window as unknown as { zos?: unknown }).zos === 'object', null, { timeout: 60_000 });
  await page.evaluate(() => (window as unknown as { zos: { ready: Promise<void> } }).zos.ready);
  return {
    page, notes,
    async close() {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
    },
  };
}

export async function runBatchBrowser(s: BrowserSession, batch: Batch): Promise<CaseRun[]> {
  const all = batch.cases.flatMap((bc) => bc.procs.map((p) => ({ bc, p })));
  // As in Node: the process that gets console input is spawned first.
  all.sort((a, b) => Number(b.bc.case.input !== undefined) - Number(a.bc.case.input !== undefined));
  const pageBatch: PageBatch = {
    procs: all.map(({ bc, p }) => ({
      name: p.name, b64: Buffer.from(p.bytes).toString('base64'),
      input: bc.case.input !== undefined && p === bc.procs[0] ? bc.case.input : null,
    })),
    timeoutMs: batch.timeoutMs,
    memoryLimitPages: batch.memoryLimitPages ?? null,
    cpuLimitMs: batch.cpuLimitMs ?? null,
    wantLogs: batch.cases.some((bc) => bc.case.browserLogs),
  };
  s.notes.length = 0;
  let result: PageResult | null = null;
  let error: string | null = null;
  const t0 = performance.now();
  try {
    result = await s.page.evaluate(runInPage, pageBatch);
  } catch (e) {
    error = `page.evaluate failed: ${(e as Error).message.split('\n')[0]}`;
    // Keep later batches attributable: start over with a fresh page (a new boot).
    try {
      await s.page.reload();
      await s.page.waitForFunction(() => typeof (window as unknown as { zos?: unknown }).zos === 'object', null, { timeout: 60_000 });
      await s.page.evaluate(() => (window as unknown as { zos: { ready: Promise<void> } }).zos.ready);
      error += ' (the page was reloaded for the next batch)';
    } catch (r) {
      error += `; reloading the page failed too: ${(r as Error).message.split('\n')[0]}`;
    }
  }
  const ms = result?.ms ?? performance.now() - t0;
  const logs: LogRun | null = result?.verify
    ? { chainVerified: result.verify.head !== null, replayMatches: result.verify.replayMatches, syslog: result.syslogCount, commits: result.verify.commits, badSeq: result.verify.badSeq }
    : null;
  const pageNotes = [...s.notes];
  return batch.cases.map((bc) => {
    const errors: string[] = error ? [error] : [];
    const notes: string[] = [...pageNotes];
    if (pageBatch.cpuLimitMs !== null) notes.push(`CPU limit ${pageBatch.cpuLimitMs} ms for each process: window.zos.spawn(bytes, { cpuLimitMs })`);
    const procs: ProcRun[] = bc.procs.map((p) => {
      const i = all.findIndex((x) => x.p === p);
      const r = result?.procs[i];
      if (!r) return { role: p.role, name: p.name, pid: null, exitCode: null, fault: null, output: '', refused: null };
      if (r.timedOut) errors.push(`${p.role} (pid ${r.pid}) did not end within ${batch.timeoutMs} ms; killed`);
      return { role: p.role, name: p.name, pid: r.pid, exitCode: r.exitCode, fault: r.fault, output: r.output, refused: r.refused };
    });
    const run: CaseRun = { harness: 'browser', procs, logs, errors, ms, notes };
    if (result && bc.case.browserLogs) run.browserLogs = { syslog: result.syslog ?? [], commits: result.commits ?? [], processes: result.processes ?? [] };
    return run;
  });
}

/** Runs every batch in one page; `record` gets each batch's CaseRuns as they finish. */
export async function runBrowser(batches: Batch[], record: (b: Batch, runs: CaseRun[]) => void, log: (line: string) => void): Promise<void> {
  let s: BrowserSession;
  try {
    s = await openBrowser(log);
  } catch (e) {
    const why = `cannot start the browser harness: ${(e as Error).message.split('\n')[0]}`;
    log(why);
    for (const b of batches) {
      record(b, b.cases.map(() => ({ harness: 'browser', procs: [], logs: null, errors: [why], ms: 0, notes: [] })));
    }
    return;
  }
  try {
    for (const b of batches) record(b, await runBatchBrowser(s, b));
  } finally {
    await s.close();
  }
}
