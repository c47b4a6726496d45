// `zos bench`'s usage and its parts, apart from bench/run.ts so that
// `zos --help` prints them without loading Vite and Playwright.

/** What --only picks from. */
export const BENCH_PARTS = ['node', 'chromium', 'boot', 'static', 'page-idle', 'editor', 'timetravel', 'graph'] as const;

/** The page's own section besides the suite's (bench/suite.ts SECTIONS). */
export const PAGE_SECTIONS = ['frames'] as const;

export const BENCH_USAGE = `usage: zos bench [--quick] [--node-only] [--only part[,part]...]... [--section name]...

Runs the benchmark suite in Node, then in headless Chromium, and writes
bench/results/latest.json, latest.md and the table in docs/performance.md.

  --quick      smaller runs: a smoke test of the suite, not figures to quote
  --node-only  only the suite in Node (as --only node)
  --only part  only these parts (repeatable, or a,b); the table is printed and the
               results files are left as they are. The parts: node (the
               suite in Node), chromium (the suite in the page), boot
               (boot_to_prompt_ms), static (boot_to_prompt_static_ms: the
               built site on a static host, through its service worker),
               page-idle (page_idle_cpu_pct: the booted desktop doing
               nothing), editor (editor_first_compile_ms, editor_recompile_ms),
               timetravel (timetravel_jump_ms), graph (graph_update_ms)
  --section s  only these sections of the node and chromium suites
               (bench/suite.ts SECTIONS, and frames in the page); the
               results files are left as they are
  -h, --help   this text`;
