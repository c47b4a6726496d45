// `npm run test:conformance`: the conformance, hostile and fuzz cases in
// both harnesses (Node through `zos run --json`, Chromium through the page
// API), the report in test-results/conformance/, and the summary line
// `N passed, N failed` alone on the last line of output.
//
//   node --import tsx test/conformance/run.ts [--node-only | --browser-only]
//        [--filter text[,text...]] [--suite conformance|hostile|zos|fuzz] [--list]
//
// Environment: ZOS_FUZZ_SEED (default fixed), ZOS_FUZZ_RUNS (default 2),
// CHROME_PATH (see scripts/browser.mjs).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILTIN_APPS } from '../../supervisor/apps.ts';
import { conformanceCases } from './cases/conformance.ts';
import { fuzzCases, fuzzSettings } from './cases/fuzz.ts';
import { boundCases } from './cases/bounds.ts';
import { hostileCases } from './cases/hostile.ts';
import { leaseCases } from './cases/leases.ts';
import { judge, type Case, type CaseRun, type HarnessName } from './model.ts';
import { runBatchNode } from './node-harness.ts';
import { plan, type Batch } from './plan.ts';
import { totals, writeReports, type Row } from './report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'test-results', 'conformance');

export function allCases(): Case[] {
  return [...conformanceCases, ...hostileCases, ...boundCases, ...leaseCases, ...fuzzCases()];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'node-only': { type: 'boolean' }, 'browser-only': { type: 'boolean' },
      filter: { type: 'string' }, suite: { type: 'string' }, list: { type: 'boolean' },
    },
  });
  const started = performance.now();
  let cases = allCases();
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  if (values.suite) cases = cases.filter((c) => c.suite === values.suite);
  if (values.filter) {
    const parts = values.filter.split(',');
    cases = cases.filter((c) => parts.some((p) => c.id.includes(p)));
  }
  if (values.list) {
    for (const c of cases) console.log(`${c.id.padEnd(34)} ${c.suite.padEnd(12)} ${c.section.padEnd(34)} ${c.title}`);
    return 0;
  }
  const harnesses: HarnessName[] = values['node-only'] ? ['node'] : values['browser-only'] ? ['browser'] : ['node', 'browser'];
  const fuzz = fuzzSettings();
  console.log(`zos conformance: ${cases.length} cases, harnesses ${harnesses.join(' + ')}; fuzz seed ${fuzz.seed}, ${fuzz.runs} runs`);

  // Both harnesses boot the real init and permission service from apps/build.
  if (BUILTIN_APPS.some((n) => !existsSync(join(ROOT, 'apps', 'build', `${n}.wasm`)))) {
    console.log('apps/build is incomplete: node scripts/build-apps.mjs');
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-apps.mjs')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (b.status !== 0) throw new Error(`scripts/build-apps.mjs exited ${b.status}`);
  }

  const batches = await plan(cases);
  console.log(`assembled ${batches.reduce((n, b) => n + b.cases.reduce((m, c) => m + c.procs.length, 0), 0)} processes into ${batches.length} batches (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  rmSync(join(OUT, 'bin'), { recursive: true, force: true });
  rmSync(join(OUT, 'traces'), { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  const rows: Row[] = cases.map((c) => ({ case: c, results: {} }));
  const record = (h: HarnessName, batch: Batch, runs: CaseRun[]): void => {
    batch.cases.forEach((bc, i) => {
      const run = runs[i]!;
      const verdict = judge(bc.case, run);
      rows.find((r) => r.case === bc.case)!.results[h] = { run, verdict };
      console.log(`${h.padEnd(7)} ${verdict.pass ? 'pass' : 'FAIL'}  ${bc.case.id.padEnd(34)} ${bc.case.section}`);
      for (const f of verdict.failures.slice(0, 12)) console.log(`          ${f}`);
    });
  };
  const timings: Record<string, string> = {};

  if (harnesses.includes('node')) {
    const t = performance.now();
    for (const b of batches) record('node', b, await runBatchNode(b, join(OUT, 'bin')));
    timings.node = `${((performance.now() - t) / 1000).toFixed(1)} s`;
    console.log(`node harness: ${timings.node}`);
  }
  if (harnesses.includes('browser')) {
    const t = performance.now();
    const { runBrowser } = await import('./browser-harness.ts');
    await runBrowser(batches, (b, runs) => record('browser', b, runs), (line) => console.log(line));
    timings.browser = `${((performance.now() - t) / 1000).toFixed(1)} s`;
    console.log(`browser harness: ${timings.browser}`);
  }

  const total = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  writeReports(OUT, rows.filter((r) => Object.keys(r.results).length > 0), harnesses, {
    cases: String(cases.length), 'fuzz seed': String(fuzz.seed), 'fuzz runs': String(fuzz.runs), ...timings, total,
  });
  const t = totals(rows);
  console.log(`report: ${join('test-results', 'conformance', 'report.html')}, junit.xml; total ${total}`);
  console.log(`${t.passed} passed, ${t.failed} failed`);
  return t.failed === 0 && t.passed > 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
