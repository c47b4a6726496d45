// The report: test-results/conformance/junit.xml and report.html, one row
// per case with its verdict in each harness, and the summary line.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case, CaseRun, HarnessName, Verdict } from './model.ts';

export interface Row {
  case: Case;
  results: Partial<Record<HarnessName, { run: CaseRun; verdict: Verdict }>>;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// XML 1.0 cannot carry most control characters, even escaped.
// eslint-disable-next-line no-control-regex
const xml = (s: string): string => esc(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '?'));
const clip = (s: string, n = 4000): string => (s.length > n ? `${s.slice(0, n)}\n... (${s.length - n} more characters)` : s);

export interface Totals { passed: number; failed: number }

export function totals(rows: Row[]): Totals {
  let passed = 0;
  let failed = 0;
  for (const r of rows) for (const res of Object.values(r.results)) res!.verdict.pass ? passed++ : failed++;
  return { passed, failed };
}

export function writeReports(dir: string, rows: Row[], harnesses: HarnessName[], meta: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'junit.xml'), junit(rows, harnesses));
  writeFileSync(join(dir, 'report.html'), html(rows, harnesses, meta));
}

function junit(rows: Row[], harnesses: HarnessName[]): string {
  const suites = harnesses.map((h) => {
    const cases = rows.filter((r) => r.results[h]);
    const failures = cases.filter((r) => !r.results[h]!.verdict.pass).length;
    const time = cases.reduce((t, r) => t + r.results[h]!.run.ms / 1000, 0);
    const body = cases.map((r) => {
      const { run, verdict } = r.results[h]!;
      const name = `${r.case.id} [${r.case.section}] ${r.case.title}`;
      const out = run.procs.map((p) => `--- ${p.role} (pid ${p.pid ?? '-'}) ---\n${p.refused ?? clip(p.output)}`).join('\n');
      const fail = verdict.pass ? '' : `\n      <failure message="${xml(verdict.failures[0] ?? 'failed')}">${xml(verdict.failures.join('\n'))}</failure>`;
      return `    <testcase classname="${h}.${r.case.suite}" name="${xml(name)}" time="${(run.ms / 1000).toFixed(3)}">${fail}
      <system-out>${xml(out)}</system-out>
    </testcase>`;
    }).join('\n');
    return `  <testsuite name="conformance (${h})" tests="${cases.length}" failures="${failures}" errors="0" time="${time.toFixed(3)}">
${body}
  </testsuite>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="zos conformance">\n${suites}\n</testsuites>\n`;
}

function html(rows: Row[], harnesses: HarnessName[], meta: Record<string, string>): string {
  const t = totals(rows);
  const cell = (r: Row, h: HarnessName): string => {
    const res = r.results[h];
    if (!res) return '<td class="skip">not run</td>';
    const { run, verdict } = res;
    const details = [
      ...verdict.failures.map((f) => `<div class="f">${esc(f)}</div>`),
      ...run.notes.map((n) => `<div class="n">${esc(n)}</div>`),
      ...(!verdict.pass && run.trace ? [`<div class="n"><a href="${esc(run.trace)}">the batch's trace</a>: open it in zos (Logs → Open trace, or drop it on the page) to step through the run on the timeline; <code>zos verify</code> checks it</div>`] : []),
      `<details><summary>output</summary><pre>${esc(run.procs.map((p) => `--- ${p.role} (pid ${p.pid ?? '-'}) ${p.fault ? `faulted: ${p.fault.reason}: ${p.fault.description}` : p.refused !== null ? 'refused' : `exit ${p.exitCode}`} ---\n${p.refused ?? clip(p.output, 3000)}`).join('\n'))}</pre></details>`,
    ].join('');
    return `<td class="${verdict.pass ? 'pass' : 'fail'}"><b>${verdict.pass ? 'pass' : 'FAIL'}</b> <small>${(run.ms / 1000).toFixed(2)} s (batch)</small>${details}</td>`;
  };
  const body = rows.map((r) => `<tr><td><code>${esc(r.case.id)}</code></td><td>${esc(r.case.suite)}</td><td>${esc(r.case.section)}</td><td>${esc(r.case.title)}</td>${harnesses.map((h) => cell(r, h)).join('')}</tr>`).join('\n');
  return `<!doctype html>
<meta charset="utf-8">
<title>zos conformance: ${t.passed} passed, ${t.failed} failed</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5em; }
  table { border-collapse: collapse; width: 100%; }
  td, th { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }
  .pass { background: #e8f7e8; } .fail { background: #fde8e8; } .skip { color: #888; }
  .f { color: #a00; font-family: monospace; white-space: pre-wrap; } .n { color: #555; font-size: 12px; }
  pre { max-height: 300px; overflow: auto; font-size: 12px; }
</style>
<h1>zos conformance</h1>
<p>${t.passed} passed, ${t.failed} failed (case × harness). ${Object.entries(meta).map(([k, v]) => `${esc(k)}: ${esc(v)}`).join(' · ')}</p>
<table>
<tr><th>id</th><th>suite</th><th>ABI section</th><th>title</th>${harnesses.map((h) => `<th>${h}</th>`).join('')}</tr>
${body}
</table>
`;
}
