// The editor's figures, on the desktop page of the production build:
//   editor_first_compile_ms: a fresh page (its own browser context, so
//     nothing cached), booted; then open the editor with the hello template,
//     compile it and start it, until the program's output is on its console.
//     This loads the editor's code, the compiler's worker, asc and binaryen.
//   editor_recompile_ms: in that page, change the text and run again, until
//     the new program's output is there: the compiler is warm.

import type { Browser } from 'playwright';
import { summarize } from './stats.ts';
import type { BenchRow } from './suite.ts';

interface EditorTimes {
  firstMs: number;
  recompileMs: number[];
}

// Run in the page as text: tsx would wrap a function given to page.evaluate
// in helpers (__name) that exist only in Node.
const IN_PAGE = `async (n) => {
  const outputOf = (pid, text) => new Promise((resolve, reject) => {
    const until = performance.now() + 60000;
    const look = () => {
      if (window.zos.consoleText(pid).includes(text)) resolve();
      else if (performance.now() > until) reject(new Error('pid ' + pid + ' never printed ' + text));
      else setTimeout(look, 1);
    };
    look();
  });
  const t0 = performance.now();
  await window.zos.openInEditor('hello');
  const started = await window.zos.editor.run();
  await outputOf(started.pid, 'Hello from my own program');
  const firstMs = performance.now() - t0;
  const { source } = await window.zos.editor.state();
  const recompileMs = [];
  for (let k = 0; k < n; k++) {
    await window.zos.editor.setSource(source.replace('Hello from my own program', 'Hello again (' + k + ')'));
    const t1 = performance.now();
    const again = await window.zos.editor.run();
    await outputOf(again.pid, 'Hello again (' + k + ')');
    recompileMs.push(performance.now() - t1);
  }
  return { firstMs, recompileMs };
}`;

export async function editorCompile(browser: Browser, base: string, quick: boolean, log: (l: string) => void): Promise<BenchRow[]> {
  const loads = quick ? 2 : 5;
  const recompiles = quick ? 3 : 6;
  const first: number[] = [];
  const again: number[] = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.zos?.timings.promptMs, undefined, { timeout: 60_000 });
    const times = await page.evaluate(`(${IN_PAGE})(${recompiles})`) as EditorTimes;
    first.push(times.firstMs);
    again.push(...times.recompileMs);
    await context.close();
  }
  log(`chromium editor_first_compile_ms: ${first.map(Math.round).join(', ')}`);
  log(`chromium editor_recompile_ms: ${again.map(Math.round).join(', ')}`);
  return [
    row('editor_first_compile_ms', first, `production build; ${loads} fresh pages: open the editor, compile hello, until its output`),
    row('editor_recompile_ms', again, `the same pages, ${recompiles} edits each: compile and run again, until the new output`),
  ];
}

function row(name: string, samples: number[], note: string): BenchRow {
  const { median, p99 } = summarize(samples);
  return { name, env: 'chromium', median: Math.round(median), p99: Math.round(p99), unit: 'ms', note };
}
